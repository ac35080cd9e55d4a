/** Which input of `buildDockerRunArgs` was invalid. */
export type DockerArgsErrorCode =
  | "ISOLATION_DISABLED"
  | "CONTAINER_RUNTIME_COMMAND"
  | "INVALID_SERVER_NAME"
  | "INVALID_COMMAND"
  | "INVALID_ARG"
  | "INVALID_ENV_KEY"
  | "INVALID_ENV_VALUE"
  | "INVALID_IMAGE"
  | "INVALID_REGISTRY"
  | "INVALID_MEMORY_LIMIT"
  | "INVALID_CPU_LIMIT"
  | "INVALID_NETWORK_MODE"
  | "INVALID_WORKING_DIR"
  | "INVALID_VOLUME"
  | "INVALID_PIDS_LIMIT"
  | "INVALID_CAP_DROP"
  | "INVALID_USER"
  | "INVALID_EXTRA_ARG"
  | "INVALID_OPTION";

/**
 * Thrown for input that slipped past config validation (an empty command, an env
 * key with `=`, an image that would read as a flag, ...). `field` names the input
 * (`command`, `env.API_KEY`, `isolation.memory_limit`, `options.nameSuffix`) and
 * `value` is the offending value, except for env values, which are never echoed.
 */
export class DockerArgsError extends Error {
  readonly code: DockerArgsErrorCode;
  readonly field: string;
  readonly value: string;

  constructor(
    code: DockerArgsErrorCode,
    field: string,
    value: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DockerArgsError";
    this.code = code;
    this.field = field;
    this.value = value;
  }
}
