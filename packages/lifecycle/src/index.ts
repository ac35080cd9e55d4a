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
  attachContainer,
  beginWait,
  computeResourceStats,
  containerStatsOnce,
  ContainerStatsWatch,
  createContainer,
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
