// The Engine API layer of @mcpproxy/lifecycle (re-exported from the package index).
export {
  EngineClient,
  ENGINE_API_VERSION,
  ENGINE_CALL_TIMEOUT_MS,
  type EngineCallOptions,
  type EngineClientOptions,
} from "./client.ts";
export {
  currentContextName,
  parseEngineHost,
  resolveEngineEndpoint,
  type EngineEndpoint,
  type EngineTls,
  type ResolveEndpointOptions,
} from "./endpoint.ts";
export { EngineApiError, type EngineApiErrorCode } from "./errors.ts";
export {
  attachContainer,
  beginWait,
  createContainer,
  inspectContainerApi,
  inspectContainerJson,
  removeContainer,
  startContainer,
  stopContainer,
  type AttachedStdio,
  type CallOptions,
  type WaitResult,
} from "./containers.ts";
export { runContainer, type RunContainerOptions, type RunningContainer } from "./run-container.ts";
export {
  containerStatsOnce,
  streamContainerStats,
  watchContainerEvents,
  type ContainerEvent,
  type EventsOptions,
  type JsonStream,
  type StatsStreamOptions,
} from "./streams.ts";
export {
  computeResourceStats,
  isNearMemoryLimit,
  NEAR_MEMORY_LIMIT_PERCENT,
  type ServerResourceStats,
} from "./resource-stats.ts";
export { ContainerStatsWatch, EngineEventHub, type EngineEventHubEvents } from "./stats-monitor.ts";
export { ServerStatsMonitor, type ServerStatsMonitorEvents } from "./server-stats.ts";
