// Typed errors of the CLI and the one mapping from any error to an exit code.
// Exit codes: 0 ok, 1 a failure was found (or an operation failed), 2 usage or config error.

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliErrorCode =
  | "USAGE"
  | "CONFIG_INVALID"
  | "CONFIG_NOT_FOUND"
  | "SERVER_NOT_FOUND"
  | "PROXY_NOT_RUNNING"
  | "PROXY_AUTH_FAILED"
  | "PROXY_API_ERROR"
  | "DOCKER_UNAVAILABLE"
  | "IMAGE_PULL_FAILED"
  | "BROWSER_OPEN_FAILED"
  | "PREPARE_FAILED";

const USAGE_CODES: ReadonlySet<string> = new Set<CliErrorCode>([
  "USAGE",
  "CONFIG_INVALID",
  "CONFIG_NOT_FOUND",
  "SERVER_NOT_FOUND",
]);

/** An error the CLI reports as one sentence (`message`) plus what to do about it (`fix`). */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly fix: string | undefined;
  /** Extra lines printed under the message, e.g. every config error with its path. */
  readonly details: readonly string[];

  constructor(
    code: CliErrorCode,
    message: string,
    options: { fix?: string | undefined; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.fix = options.fix;
    this.details = options.details ?? [];
  }
}

/** Codes of errors from the workspace packages that mean "the config or the command line is wrong". */
// Besides these, every `INVALID_*` code (config, docker-args, runtime-detect: bad input).
const FOREIGN_USAGE_CODES: ReadonlySet<string> = new Set([
  // @mcpproxy/config
  "READ_FAILED",
  // @mcpproxy/server
  "CONFIG_INVALID",
  "LISTEN_INVALID",
  "INSECURE_LISTEN",
  // @mcpproxy/diagnostics
  "UNKNOWN_SERVER",
]);

export function exitCodeFor(error: unknown): ExitCode {
  const code = errorCode(error);
  if (code === undefined) return EXIT.failure;
  if (USAGE_CODES.has(code) || FOREIGN_USAGE_CODES.has(code) || code.startsWith("INVALID_"))
    return EXIT.usage;
  return EXIT.failure;
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** What to do when the Docker engine does not answer. */
export const ENGINE_FIX =
  "Start the Docker engine (Docker Desktop, Colima or dockerd) or point `docker context use` / DOCKER_HOST at a running one; `docker info` must succeed.";

/** What to do about errors of the workspace packages, by code, when they carry no fix themselves. */
const FIXES: Readonly<Record<string, string>> = {
  ENGINE_UNREACHABLE: ENGINE_FIX,
  DOCKER_COMMAND_FAILED:
    "Run the same docker command by hand to see the engine's full answer; `mcpproxy doctor` shows it.",
  IMAGE_PULL_FAILED:
    "Check the image name and registry access (`docker login`), or set `isolation.image` to an image you have.",
  IMAGE_NOT_FOUND: "Pull it with `mcpproxy images pull`, or set `isolation.image` to an image you have.",
  LISTEN_FAILED: "Pick a free port with --listen 127.0.0.1:PORT, or stop the process that holds this one.",
  LOG_DIR_UNWRITABLE: 'Make the directory writable, or set "log_dir" in the config to one that is.',
  UNKNOWN_SERVER: "Use a server name from the config (`mcpproxy servers list` shows them).",
  READ_FAILED: "Check that the file is readable by this user, or pass --config PATH.",
  WRITE_FAILED: "Check that the directory is writable by this user, or pass --config PATH.",
  CONFIG_CHANGED:
    "Another program kept saving the config at the same moment; run the command again (nothing was written).",
  CONFIG_LOCKED:
    "Another mcpproxy is writing the config; run the command again. If none is, delete the lock file named above.",
};

/** The fix of an error: CliError.fix, a `fix` some errors carry, or the one known for its code. */
export function errorFix(error: unknown): string | undefined {
  if (error instanceof CliError) return error.fix;
  if (typeof error === "object" && error !== null && "fix" in error && typeof error.fix === "string")
    return error.fix;
  const code = errorCode(error);
  if (code === undefined) return undefined;
  if (code.startsWith("INVALID_") && !(code in FIXES)) {
    return "Correct that field in the config (`mcpproxy config validate` checks the file).";
  }
  return FIXES[code];
}

/** One sentence: an error's short message (without attached log lines), capitalised, with a full stop. */
export function errorSentence(error: unknown): string {
  let text: string;
  if (
    typeof error === "object" &&
    error !== null &&
    "shortMessage" in error &&
    typeof error.shortMessage === "string"
  ) {
    text = error.shortMessage;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  const [first = "", ...rest] = text.trim().split("\n");
  const sentence = first.charAt(0).toUpperCase() + first.slice(1);
  const ended = /[.!?:]$/.test(sentence) ? sentence : `${sentence}.`;
  // Multi-line messages (e.g. the server's "config is invalid:\n  path: message") keep their lines.
  return [ended, ...rest].join("\n");
}

/**
 * Lines under the message: CliError.details, the `path: message` issues a config
 * error carries, or the last stderr lines of a server that failed to start.
 */
export function errorDetails(error: unknown): readonly string[] {
  if (error instanceof CliError) return error.details;
  if (typeof error !== "object" || error === null) return [];
  if ("stderrTail" in error && Array.isArray(error.stderrTail) && error.stderrTail.length > 0) {
    return ["last stderr lines:", ...(error.stderrTail as unknown[]).map((line) => `  ${String(line)}`)];
  }
  if (!("issues" in error) || !Array.isArray(error.issues)) return [];
  const lines: string[] = [];
  for (const issue of error.issues as unknown[]) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== "string") continue;
    lines.push(typeof path === "string" && path !== "" ? `${path}: ${message}` : message);
  }
  return lines;
}
