// Public API of @mcpproxy/lifecycle: starting, supervising, stopping and sweeping
// MCP server processes and their Docker containers.
// Everything exported here is public API.
export type {
  Client,
  DockerCliOptions,
  EngineInfo,
  ExitInfo,
  LifecycleLogger,
  ManagedContainer,
  PullProgress,
  RestartPolicy,
  ServerHandle,
  ServerHandleEvents,
  ServerState,
  StartPhase,
  StartServerOptions,
  Transport,
} from "./types.ts";
export { LifecycleError, type LifecycleErrorCode, type LifecycleErrorDetails } from "./errors.ts";
export { startServer } from "./start.ts";
export {
  createServerManager,
  type ServerManager,
  type ServerManagerOptions,
  type SignalHandlerOptions,
} from "./manager.ts";
export { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_MS } from "./handle.ts";
export {
  listManagedContainers,
  removeContainers,
  sweepOrphans,
  type ListManagedOptions,
  type SweepOptions,
  type SweepResult,
} from "./containers.ts";
export { OWNER_LABELS } from "./owner.ts";
export {
  containerLogs,
  getEngineInfo,
  imageExists,
  inspectContainer,
  type ContainerInfo,
  type ContainerLogsOptions,
} from "./engine.ts";
export { pullImage, type PullImageOptions } from "./pull.ts";
export {
  ProcessStdioTransport,
  type ProcessStdioTransportEvents,
  type ProcessStdioTransportOptions,
  type StdioPipes,
} from "./transport.ts";
export {
  ensurePreparedImage,
  type PreparedImage,
  type PrepareImageOptions,
  type PrepareProgress,
} from "./prepare-build.ts";
export {
  readNpmHostSettings,
  registryAuthLines,
  resolveNpmPackage,
  type NpmHostOptions,
  type NpmHostSettings,
} from "./prepare-resolve.ts";
export {
  listPreparedImages,
  prunePreparedImages,
  type PreparedImageInfo,
  type PruneResult,
  type PrunePreparedOptions,
} from "./images-prepared.ts";
