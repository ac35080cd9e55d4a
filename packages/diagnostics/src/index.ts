// Public API of @mcpproxy/diagnostics. Everything exported here is public API.
export { DiagnosticsError, type DiagnosticsErrorCode } from "./errors.ts";
export { defaultLogDir, resolveLogDir, serverLogFileName, type LogDirOptions } from "./log-dir.ts";
export {
  createLogManager,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILES,
  DEFAULT_MAX_PENDING_BYTES,
  LOG_DIR_MODE,
  LOG_FILE_MODE,
  MAX_STDERR_LINE_CHARS,
  type LogManager,
  type LogManagerOptions,
  type ReadLogOptions,
} from "./logs.ts";
export {
  formatLogLine,
  isolationDisabledWords,
  lastErrorFromLogLines,
  logIsolationDecision,
  logIsolationSetupSuccessful,
  logServerError,
  logServerStderr,
  maskArgv,
  stderrFromLogLines,
  type DockerRunDescription,
  type LoggedServer,
  type StartedContainer,
} from "./isolation-log.ts";
export { diagnose } from "./classifier.ts";
export { memoryNearLimitFinding, MEMORY_NEAR_LIMIT_PERCENT, type MemoryUse } from "./memory-near-limit.ts";
export { prepareAdvice } from "./prepare-advice.ts";
export { checkConfigPermissions, type ConfigPermissionWarning } from "./config-permissions.ts";
export type {
  ConfigSnippet,
  DiagnosisEvidence,
  EngineEvidence,
  Finding,
  FindingCode,
  InspectState,
} from "./findings.ts";
export {
  evidenceFromError,
  evidenceFromExit,
  mergeEvidence,
  type ErrorFacts,
  type ExitFacts,
} from "./evidence.ts";
export { failureFromLogLines, type RecordedFailure } from "./history.ts";
