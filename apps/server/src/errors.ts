// Typed errors of the server app. Every error the proxy raises or answers with
// carries a `code` from ProxyErrorCode; REST answers use the same codes.

export type ProxyErrorCode =
  /** runDoctor was asked about a server that is not in the config. */
  | "UNKNOWN_SERVER"
  /** The config file could not be loaded or is invalid. */
  | "CONFIG_INVALID"
  /** Writing the config file (enable/disable) failed. */
  | "CONFIG_WRITE_FAILED"
  /** `listen` is not host:port. */
  | "LISTEN_INVALID"
  /** A non-loopback `listen` without an `api_key`. */
  | "INSECURE_LISTEN"
  /** The HTTP listener could not bind. */
  | "LISTEN_FAILED"
  /** Missing or wrong API key. */
  | "UNAUTHORIZED"
  /** A browser page of another origin, or a Host header that is not this listener. */
  | "FORBIDDEN"
  /** No server of that name in the config. */
  | "SERVER_NOT_FOUND"
  /** No such route. */
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  /** Malformed request: bad JSON, bad parameter. */
  | "BAD_REQUEST"
  /** A request body over the size limit. */
  | "PAYLOAD_TOO_LARGE"
  /** The server is disabled in the config. */
  | "SERVER_DISABLED"
  /** A restart did not reach `ready`. */
  | "RESTART_FAILED"
  /** The upstream is not ready (starting, restarting, failed, stopped). */
  | "UPSTREAM_UNAVAILABLE"
  /** The upstream did not answer within the per-call timeout. */
  | "UPSTREAM_TIMEOUT"
  /** The upstream answered the call with a protocol error. */
  | "UPSTREAM_ERROR"
  /** No tool of that name. */
  | "UNKNOWN_TOOL"
  /** The container engine does not answer (e.g. pulling an image). */
  | "ENGINE_UNREACHABLE"
  /** An image pull asked for through the API failed. */
  | "IMAGE_PULL_FAILED"
  /** The proxy is stopping. */
  | "SHUTTING_DOWN"
  | "INTERNAL";

export class ProxyError extends Error {
  readonly code: ProxyErrorCode;
  /** The upstream server concerned, when there is one. */
  readonly server: string | undefined;

  constructor(code: ProxyErrorCode, message: string, options?: { cause?: unknown; server?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProxyError";
    this.code = code;
    this.server = options?.server;
  }
}

/** HTTP status of each code, for the REST API. */
export function httpStatusOf(code: ProxyErrorCode): number {
  switch (code) {
    case "BAD_REQUEST":
    case "CONFIG_INVALID":
    case "LISTEN_INVALID":
      return 400;
    case "UNAUTHORIZED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "SERVER_NOT_FOUND":
    case "NOT_FOUND":
    case "UNKNOWN_TOOL":
      return 404;
    case "METHOD_NOT_ALLOWED":
      return 405;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "SERVER_DISABLED":
      return 409;
    case "RESTART_FAILED":
    case "IMAGE_PULL_FAILED":
    case "UPSTREAM_ERROR":
    case "UPSTREAM_UNAVAILABLE":
      return 502;
    case "SHUTTING_DOWN":
    case "ENGINE_UNREACHABLE":
      return 503;
    case "UPSTREAM_TIMEOUT":
      return 504;
    default:
      return 500;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
