// The parts of @mcpproxy/lifecycle the proxy loads on first use (its Engine API
// client with docker-modem and ssh2, the MCP SDK client): proxy.ts and
// resource-use.ts import this module, never the package, on demand; a proxy
// without servers never loads them. (A dynamic import of the package itself
// would make the bundler load all of it with the static imports at start.)
import type { LogManager } from "@mcpproxy/diagnostics";
import {
  createServerManager,
  ensurePreparedImage,
  type DockerCliOptions,
  type RestartPolicy,
} from "@mcpproxy/lifecycle";
import { createPrepareManager } from "./prepare/prepare-manager.ts";
import type { ServerManagerLike } from "./upstreams.ts";

export { pullImage, ServerStatsMonitor } from "@mcpproxy/lifecycle";

export interface UpstreamManagerOptions {
  instanceId: string;
  logs: LogManager;
  restart: RestartPolicy | undefined;
  /** The endpoint pinned for this run. */
  docker: DockerCliOptions;
}

/** What starts and stops the upstream servers: lifecycle's manager behind the prepare step. */
export function createUpstreamManager(options: UpstreamManagerOptions): ServerManagerLike {
  const { docker, logs } = options;
  const manager = createServerManager({
    instanceId: options.instanceId,
    logger: logs.main,
    restart: options.restart,
    docker,
  });
  // Servers with `prepare` on build/reuse their prepared image before lifecycle starts them.
  return createPrepareManager({ manager, logs, ensure: ensurePreparedImage, prepareOptions: { docker } });
}
