// startServer(): one server, started and then supervised by its handle.
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import { ManagedServer } from "./handle.ts";
import type { ServerHandle, StartServerOptions } from "./types.ts";

/**
 * Starts `server` (in a container when `isolation.enabled`, else as a child
 * process) and resolves once the MCP client completed `initialize`. Rejects with
 * a LifecycleError (after cleanup: no container left) naming the phase that
 * failed. After that first success the handle restarts the server on crashes
 * according to `options.restart`.
 */
export async function startServer(
  server: ServerConfig,
  isolation: IsolationResolution,
  options: StartServerOptions,
): Promise<ServerHandle> {
  const handle = new ManagedServer(server, isolation, options);
  await handle.startOnce();
  return handle;
}
