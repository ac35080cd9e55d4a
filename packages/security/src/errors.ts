/** What went wrong in @mcpproxy/security. */
export type SecurityErrorCode =
  /** A tool/prompt/resource definition lacks its identifying field (name or uri). */
  | "INVALID_DEFINITION"
  /** An option or argument is out of range or of the wrong type. */
  | "INVALID_ARGUMENT"
  /** The database file could not be opened or created. */
  | "STORE_OPEN_FAILED"
  /** A schema migration failed; the database was left at its previous version. */
  | "STORE_MIGRATION_FAILED"
  /** The database was written by a newer mcpproxy (its schema version is unknown here). */
  | "STORE_SCHEMA_TOO_NEW"
  /** Recorded activity could not be written (disk full, database locked past its timeout...). */
  | "STORE_WRITE_FAILED"
  /** The store was used after close(). */
  | "STORE_CLOSED";

/** Every error this package throws: a stable `code` for callers, a message for people. */
export class SecurityError extends Error {
  readonly code: SecurityErrorCode;

  constructor(code: SecurityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SecurityError";
    this.code = code;
  }
}
