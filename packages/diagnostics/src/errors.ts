// Typed errors of @mcpproxy/diagnostics. Everything else in this package
// returns data (findings, reports) instead of throwing.

export type DiagnosticsErrorCode =
  /** The log directory cannot be created or is not writable. */
  | "LOG_DIR_UNWRITABLE"
  /** A server name that cannot become a log file name (empty, or only dots). */
  | "INVALID_SERVER_NAME"
  /** The LogManager was used after close(). */
  | "LOGS_CLOSED"
  /** A log file could not be read (other than "does not exist yet"). */
  | "LOG_READ_FAILED";

export class DiagnosticsError extends Error {
  readonly code: DiagnosticsErrorCode;
  constructor(code: DiagnosticsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DiagnosticsError";
    this.code = code;
  }
}
