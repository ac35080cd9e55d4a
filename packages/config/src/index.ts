// Public API of @mcpproxy/config. Everything exported here is public API.
export type {
  DisabledIsolation,
  DockerIsolationConfig,
  EffectiveIsolation,
  HardeningSettings,
  IsolationDisabledReason,
  IsolationResolution,
  LogLevel,
  McpProxyConfig,
  ServerConfig,
  ServerIsolationConfig,
  ToolsMode,
} from "./types.ts";
export { commandBaseName, CONTAINER_RUNTIME_COMMANDS, isContainerRuntimeCommand } from "./command.ts";
