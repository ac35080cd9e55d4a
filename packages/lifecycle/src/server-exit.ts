// How the end of a ready server is told: its container inspected (exit code,
// OOM kill, the engine's error) and kept for `docker logs`, or removed; an
// engine that went away meanwhile is named, so the handle waits for it instead
// of counting a crash.
import { errorMessage, LifecycleError } from "./errors.ts";
import { collectExit, type Launched } from "./launch.ts";
import type { PendingRemovals } from "./pending-removals.ts";
import type { DockerCliOptions, ExitInfo } from "./types.ts";

const EXIT_STDERR_LINES = 20;

export interface ServerExit {
  info: ExitInfo;
  /** The exited container left in place for inspection. */
  kept: string | undefined;
  /** The engine did not answer the inspection: an outage rather than a crash. */
  engineGone: LifecycleError | undefined;
}

/** Inspects a server that ended while ready; never rejects. */
export async function settleServerExit(
  launched: Launched,
  options: {
    docker: DockerCliOptions | undefined;
    memoryLimit: string | undefined;
    pending: PendingRemovals;
  },
): Promise<ServerExit> {
  const stderrTail = launched.transport.stderrTail(EXIT_STDERR_LINES);
  try {
    const collected = await collectExit(launched, { ...options, stderrTail, keep: true });
    return { info: collected.info, kept: collected.kept, engineGone: undefined };
  } catch (error) {
    const engineGone =
      error instanceof LifecycleError && error.code === "ENGINE_UNREACHABLE" ? error : undefined;
    const reason = `ended; inspecting it failed: ${errorMessage(error)}`;
    return { info: { at: new Date(), exitCode: null, reason, stderrTail }, kept: undefined, engineGone };
  }
}

/** The error a server that ended while ready reports as its last. */
export function exitedError(serverName: string, info: ExitInfo): LifecycleError {
  return new LifecycleError("PROCESS_EXITED", `server ${serverName} ${info.reason}`, {
    serverName,
    stderrTail: info.stderrTail,
    exit: info,
  });
}
