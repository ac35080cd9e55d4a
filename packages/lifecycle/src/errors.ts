// The one error class of this package: typed by `code`, naming the start phase
// that failed, and carrying the server's last stderr lines and exit details.
import type { ExitInfo, StartPhase } from "./types.ts";

export type LifecycleErrorCode =
  /** The container engine does not answer at its endpoint. */
  | "ENGINE_UNREACHABLE"
  /** The image is not present locally and pulling is turned off. */
  | "IMAGE_NOT_FOUND"
  /** `docker pull` failed; the message holds the engine's words. */
  | "IMAGE_PULL_FAILED"
  /** The server config cannot be turned into a `docker run` (see @mcpproxy/docker-args). */
  | "INVALID_SERVER_CONFIG"
  /** The process could not be spawned, or the container could not be created or started. */
  | "PROCESS_START_FAILED"
  /** The server process/container ended (during a start, or after it was ready). */
  | "PROCESS_EXITED"
  /** The startup timeout expired; `phase` names the step that stalled. */
  | "STARTUP_TIMEOUT"
  /** The server answered `initialize` with an error or a response the client rejects. */
  | "INITIALIZE_FAILED"
  /** The start was abandoned because stop() or restart() was called. */
  | "STOPPED"
  /** A server of that name is already managed. */
  | "SERVER_EXISTS"
  /** A docker CLI command failed for another reason. */
  | "DOCKER_COMMAND_FAILED";

export interface LifecycleErrorDetails {
  phase?: StartPhase | undefined;
  serverName?: string | undefined;
  stderrTail?: readonly string[] | undefined;
  exit?: ExitInfo | undefined;
  image?: string | undefined;
  cause?: unknown;
}

/**
 * `shortMessage` is one sentence; `message` adds the server's last stderr lines
 * (like execa's errors), so a log line of `error.message` shows what the server said.
 */
export class LifecycleError extends Error {
  readonly code: LifecycleErrorCode;
  readonly shortMessage: string;
  readonly phase: StartPhase | undefined;
  readonly serverName: string | undefined;
  readonly stderrTail: string[];
  readonly exit: ExitInfo | undefined;
  readonly image: string | undefined;

  constructor(code: LifecycleErrorCode, shortMessage: string, details: LifecycleErrorDetails = {}) {
    const stderrTail = [...(details.stderrTail ?? [])];
    const message =
      stderrTail.length > 0 ? `${shortMessage}\nlast stderr lines:\n${stderrTail.join("\n")}` : shortMessage;
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "LifecycleError";
    this.code = code;
    this.shortMessage = shortMessage;
    this.phase = details.phase;
    this.serverName = details.serverName;
    this.stderrTail = stderrTail;
    this.exit = details.exit;
    this.image = details.image;
  }
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof LifecycleError) return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}

/** A failure of a server as a LifecycleError (PROCESS_START_FAILED unless it is one already). */
export function asLifecycleError(error: unknown, serverName: string): LifecycleError {
  if (error instanceof LifecycleError) return error;
  return new LifecycleError("PROCESS_START_FAILED", `server ${serverName}: ${errorMessage(error)}`, {
    serverName,
    cause: error,
  });
}

/** A start given up because the server is being stopped or was removed. */
export function stoppedError(serverName: string, why: string): LifecycleError {
  return new LifecycleError("STOPPED", `start of ${serverName} abandoned: ${why}`, { serverName });
}
