// The environment of a server that is not isolated. The proxy's environment
// holds the user's cloud and API tokens, so by default a host server gets only
// what the MCP SDK's stdio client passes on (HOME, PATH, USER, SHELL, TERM,
// LOGNAME; the Windows essentials there) plus locale and temp-dir settings,
// and then its own `env`. `inherit_env: true` passes everything instead.
import type { ServerConfig } from "@mcpproxy/config";
import { DEFAULT_INHERITED_ENV_VARS } from "@modelcontextprotocol/sdk/client/stdio.js";

/** Added to the SDK's list: programs misbehave without their locale or temp directory. */
const PLATFORM_ESSENTIALS = ["LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TMP", "TEMP"] as const;

/** The environment a host (not isolated) server is started with. */
export function hostServerEnv(
  server: Pick<ServerConfig, "env" | "inherit_env">,
  proxyEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const base: Record<string, string | undefined> =
    server.inherit_env === true
      ? { ...proxyEnv }
      : pick(proxyEnv, [...DEFAULT_INHERITED_ENV_VARS, ...PLATFORM_ESSENTIALS]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...base, ...server.env })) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function pick(source: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of keys) {
    const value = source[key];
    // Exported shell functions ("() { ...") are skipped, as the SDK does.
    if (value !== undefined && !value.startsWith("()")) out[key] = value;
  }
  return out;
}
