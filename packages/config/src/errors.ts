// The one error class of this package. Bad *input* (a config that does not
// parse or validate) is never thrown: it comes back as a ConfigResult. This is
// thrown for I/O failures and for calls that cannot be carried out.
import type { ConfigIssue } from "./issues.ts";

export type ConfigErrorCode =
  /** parseMemory/parseDuration/… called with text that is not in the expected format. */
  | "INVALID_VALUE"
  /** The config file does not exist (only where a missing file cannot be reported as a result). */
  | "CONFIG_NOT_FOUND"
  /** The config file (or the edit about to be written) does not validate; see `issues`. */
  | "INVALID_CONFIG"
  /** setServerEnabled/removeServer: no server of that name in the file. */
  | "SERVER_NOT_FOUND"
  /** addServer: a server of that name is already in the file. */
  | "SERVER_EXISTS"
  /** Another program changed the file while it was being edited; the edit is not on disk. */
  | "CONFIG_CHANGED"
  /** Another writer holds the config's lock file for too long. */
  | "CONFIG_LOCKED"
  /** Reading the file or its directory failed for a reason other than "not found". */
  | "READ_FAILED"
  /** Writing failed; the previous file is left as it was. */
  | "WRITE_FAILED"
  /** The file watcher failed. */
  | "WATCH_FAILED";

export interface ConfigErrorOptions {
  cause?: unknown;
  /** The file concerned, when there is one. */
  file?: string | undefined;
  issues?: readonly ConfigIssue[] | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly file: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, message: string, options: ConfigErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.issues = options.issues ?? [];
  }
}

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`, …), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    return typeof error.code === "string" ? error.code : undefined;
  }
  return undefined;
}
