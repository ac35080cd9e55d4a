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
  PullStatus,
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
export { DEFAULT_STOP_GRACE_MS } from "./handle.ts";
export { DEFAULT_RESTART_POLICY } from "./restart-policy.ts";
export {
  listManagedContainers,
  removeContainers,
  sweepOrphans,
  type ListManagedOptions,
  type SweepOptions,
  type SweepResult,
} from "./containers.ts";
export { OWNER_LABELS } from "./owner.ts";
export type { ContainerInfo } from "./container-info.ts";
export {
  containerLogs,
  imageExists,
  inspectContainer,
  type ContainerLogsOptions,
  type EngineQueryOptions,
} from "./engine-queries.ts";
export type { EngineMethod } from "./engine-route.ts";
export {
  getEngineInfo,
  pinDockerEndpoint,
  type EngineInfoOptions,
  type PinnedEngine,
} from "./engine-info.ts";
export { pullImage, type PullImageOptions } from "./pull.ts";
export { DEFAULT_PULL_TIMEOUT_MS, sharedPull, type SharedPullOptions } from "./shared-pull.ts";
export { DOCKER_CALL_TIMEOUT_MS } from "./docker-cli.ts";
export { hostServerEnv } from "./host-env.ts";
export {
  ProcessStdioTransport,
  type ProcessStdioTransportEvents,
  type ProcessStdioTransportOptions,
  type StdioPipes,
} from "./transport.ts";
export {
  attachContainer,
  beginWait,
  computeResourceStats,
  containerStatsOnce,
  ContainerStatsWatch,
  createContainer,
  ServerStatsMonitor,
  type ServerStatsMonitorEvents,
  currentContextName,
  ENGINE_API_VERSION,
  ENGINE_CALL_TIMEOUT_MS,
  EngineApiError,
  EngineClient,
  EngineEventHub,
  inspectContainerApi,
  inspectContainerJson,
  isNearMemoryLimit,
  NEAR_MEMORY_LIMIT_PERCENT,
  parseEngineHost,
  removeContainer,
  resolveEngineEndpoint,
  runContainer,
  startContainer,
  stopContainer,
  streamContainerStats,
  watchContainerEvents,
  type AttachedStdio,
  type CallOptions,
  type ContainerEvent,
  type EngineApiErrorCode,
  type EngineCallOptions,
  type EngineClientOptions,
  type EngineEndpoint,
  type EngineEventHubEvents,
  type EngineTls,
  type EventsOptions,
  type JsonStream,
  type ResolveEndpointOptions,
  type RunContainerOptions,
  type RunningContainer,
  type ServerResourceStats,
  type StatsStreamOptions,
  type WaitResult,
} from "./engine-api/index.ts";
export {
  ensurePreparedImage,
  findPreparedImage,
  unpreparableReason,
  type FindPreparedOptions,
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
