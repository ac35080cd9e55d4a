// Public API of @mcpproxy/docker-args: the `docker run` argv for an isolated MCP
// server, and safe printable forms of it (pure, no I/O).
// Everything exported here is public API.
export { buildDockerRunArgs, isDockerCliEnvName } from "./build.ts";
export { DockerArgsError, type DockerArgsErrorCode } from "./errors.ts";
export { dockerRunArgsForLog, formatDockerCommand, MASK, shellQuote, type FormatOptions } from "./format.ts";
export {
  CONTAINER_NAME_PREFIX,
  containerNamePart,
  labelFilterArgs,
  MANAGED_BY_VALUE,
  MCPPROXY_LABELS,
  type LabelFilter,
} from "./labels.ts";
export type { BuildOptions, DockerArgsWarning, DockerArgsWarningCode, DockerRunArgs } from "./types.ts";
