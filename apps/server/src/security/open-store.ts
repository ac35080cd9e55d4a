// Opens security.db next to the logs. A store that cannot be opened (or one
// written by a newer mcpproxy) stops the start: running without quarantine and
// pinning would silently offer every tool.
import type { McpProxyConfig } from "@mcpproxy/config";
import { SecurityError, SecurityStore } from "@mcpproxy/security";
import { ProxyError } from "../errors.ts";

export function openSecurityStore(
  stateDir: string,
  config: McpProxyConfig,
  /** Told when recorded calls could not be written in the background (see SecurityStore). */
  onActivityError?: (error: SecurityError) => void,
): SecurityStore {
  try {
    return SecurityStore.open({
      stateDir,
      ...(onActivityError === undefined ? {} : { onActivityError }),
      ...(config.activity_log_max_bytes === undefined
        ? {}
        : { maxActivityBytes: config.activity_log_max_bytes }),
    });
  } catch (error) {
    if (error instanceof SecurityError) {
      throw new ProxyError("SECURITY_STORE_FAILED", `${error.message} (${error.code})`, { cause: error });
    }
    throw error;
  }
}
