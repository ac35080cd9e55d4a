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
