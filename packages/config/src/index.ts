// Public API of @mcpproxy/config. Everything exported here is public API.
export type {
  DisabledIsolation,
  DockerIsolationConfig,
  EffectiveIsolation,
  HardeningSettings,
  IsolationDisabledReason,
  IsolationResolution,
  AllowPolicy,
  LogLevel,
  McpProxyConfig,
  ServerConfig,
  ServerIsolationConfig,
  ToolsMode,
} from "./types.ts";
export type { ConfigFailure, ConfigIssue, ConfigIssueCode, ConfigOk, ConfigResult } from "./issues.ts";
export type { ConfigErrorCode } from "./errors.ts";
export type { EnsureConfigResult } from "./load.ts";
export type { ParseOptions } from "./parse.ts";
export type { ResolveConfigPathOptions } from "./paths.ts";
export type { ValidateOptions } from "./validate.ts";
export type { ConfigChange, ConfigWatcher, WatchConfigOptions } from "./watch.ts";

export { commandBaseName, CONTAINER_RUNTIME_COMMANDS, isContainerRuntimeCommand } from "./command.ts";
export {
  DEFAULT_IMAGES,
  DEFAULT_LISTEN,
  DEFAULT_PULL_TIMEOUT,
  defaultConfig,
  DOCKER_ISOLATION_DEFAULTS,
} from "./defaults.ts";
export { ConfigError } from "./errors.ts";
export { ALLOW_POLICIES, parseDuration, parseMemory, sharedNetworkRisk } from "./formats.ts";
export { formatIssues } from "./issues.ts";
export { configJsonSchema } from "./json-schema.ts";
export { ensureConfigFile, generateApiKey, loadConfig } from "./load.ts";
export { addServer, removeServer, setServerEnabled, type NewServer } from "./edit.ts";
export { editConfigFile, type ConfigTextEdit, type EditConfigOptions } from "./edit-file.ts";
export { lockPathFor, withConfigLock, type ConfigLockOptions } from "./lock.ts";
export { parseConfig } from "./parse.ts";
export { CONFIG_ENV_VAR, defaultConfigPath, resolveConfigPath } from "./paths.ts";
export { MIN_ACTIVITY_LOG_BYTES } from "./schema.ts";
export { resolveIsolation, resolvePrepare } from "./resolve.ts";
export { validateConfig } from "./validate.ts";
export { writeConfigFile, type WriteConfigOptions } from "./write.ts";
export { watchConfig } from "./watch.ts";
