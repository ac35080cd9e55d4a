// Public API of @mcpproxy/docker-args: one structured container spec per
// isolated MCP server, rendered as the `docker run` argv or as the Engine API
// create request, and safe printable forms (pure, no I/O).
// Everything exported here is public API.
export { API_FLAGS } from "./api-flags.ts";
export { buildDockerRunArgs } from "./build.ts";
export type {
  ContainerCreateBody,
  CreateEndpointConfig,
  CreateHostConfig,
  CreateMount,
} from "./create-request.ts";
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
export { renderCreateRequest, type CreateRequest, type NeedsCli } from "./render-api.ts";
export { dockerProcessEnv, renderDockerRunArgv, renderedLabels, type RenderOptions } from "./render-argv.ts";
export { buildContainerSpec, isDockerCliEnvName } from "./spec.ts";
export type {
  BuildOptions,
  ContainerSpec,
  DockerArgsWarning,
  DockerArgsWarningCode,
  DockerRunArgs,
  ExtraFlag,
  SpecEnv,
  SpecVolume,
} from "./types.ts";
