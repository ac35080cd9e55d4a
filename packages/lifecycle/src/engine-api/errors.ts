// The error of the Engine API layer: typed by `code`, with the HTTP status and the
// engine's own words when it answered.

export type EngineApiErrorCode =
  /** DOCKER_HOST or the docker context cannot be used (named in the message). */
  | "ENDPOINT_INVALID"
  /** The endpoint kind cannot be spoken here (ssh: the CLI runs `ssh ... docker system dial-stdio`). */
  | "ENDPOINT_UNSUPPORTED"
  /** Nothing answers at the endpoint (connection refused, no socket, TLS failure). */
  | "ENGINE_UNREACHABLE"
  /** The engine did not answer within the call's timeout. */
  | "ENGINE_TIMEOUT"
  /** The container or image does not exist (HTTP 404). */
  | "NOT_FOUND"
  /** A name conflict (HTTP 409). */
  | "CONFLICT"
  /** Any other refusal; `message` holds the engine's words. */
  | "ENGINE_REFUSED"
  /** The caller aborted the call. */
  | "ABORTED";

export class EngineApiError extends Error {
  readonly code: EngineApiErrorCode;
  /** The HTTP status when the engine answered. */
  readonly statusCode: number | undefined;

  constructor(
    code: EngineApiErrorCode,
    message: string,
    options: { statusCode?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "EngineApiError";
    this.code = code;
    this.statusCode = options.statusCode;
  }
}
