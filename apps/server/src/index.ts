// Public API of @mcpproxy/server. Everything exported here is public API.
export { startProxy, DEFAULT_CALL_TIMEOUT_MS, type RunningProxy, type StartProxyOptions } from "./proxy.ts";
export { runUntilSignal, type RunUntilSignalOptions } from "./signals.ts";
export { ProxyError, type ProxyErrorCode } from "./errors.ts";
export { parseListen, isLoopbackHost, type ListenAddress } from "./listen.ts";
export { directToolName, parseQualifiedName, DIRECT_NAME_PATTERN } from "./tool-names.ts";
export { planReload, effectiveFingerprint, type ReloadPlan } from "./reload-plan.ts";
export { DEFAULT_RETRIEVE_LIMIT, MAX_RETRIEVE_LIMIT } from "./mcp-tools.ts";
export type { ReloadStatus } from "./reload.ts";
export type { ErrorView, ExitView, IsolationView, ServerView } from "./server-view.ts";
export type { UpstreamState } from "./upstream-types.ts";
export { PROXY_NAME, PROXY_VERSION } from "./version.ts";
export {
  runDoctor,
  type ContainerReport,
  type DoctorOptions,
  type DoctorReport,
  type ServerDoctorReport,
} from "./doctor.ts";
export { createToolIndex, retrievedTools, type ToolIndex, type UpstreamTool } from "./tool-index.ts";
