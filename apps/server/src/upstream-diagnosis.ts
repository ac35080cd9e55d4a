// Turning what lifecycle knows about a server (state, last exit, last error,
// stderr) into findings (@mcpproxy/diagnostics) and into the sentences MCP
// errors and the REST API carry.
import {
  diagnose,
  evidenceFromError,
  evidenceFromExit,
  mergeEvidence,
  type DiagnosisEvidence,
  type Finding,
} from "@mcpproxy/diagnostics";
import type { PullStatus } from "@mcpproxy/lifecycle";
import { describePrepareFailure, describePreparing } from "./prepare/prepare-view.ts";
import type { UpstreamEntry } from "./upstream-types.ts";

const STDERR_LINES = 200;

/** One sentence for an error: lifecycle's shortMessage (its message adds stderr lines). */
export function shortMessageOf(error: Error): string {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  return typeof short === "string" ? short : (error.message.split("\n")[0] ?? error.message);
}

export function evidenceOf(entry: UpstreamEntry): DiagnosisEvidence {
  const handle = entry.handle;
  const stderr = handle?.recentStderr(STDERR_LINES) ?? [];
  return mergeEvidence(
    {
      serverName: entry.name,
      command: entry.config.command,
      args: entry.config.args,
      stderr,
      argv: handle?.dockerArgv,
      isolation: entry.isolation,
    },
    evidenceFromError(handle?.lastError),
    handle?.lastExit ? evidenceFromExit(handle.lastExit) : {},
  );
}

/** Findings for a server that is not healthy; none for a ready or disabled one. */
export function findingsOf(entry: UpstreamEntry): Finding[] {
  if (entry.state === "ready" || entry.state === "disabled" || !entry.handle) return [];
  const handle = entry.handle;
  if (handle.lastError === undefined && handle.lastExit === undefined) return [];
  return diagnose(evidenceOf(entry));
}

/** The last error or exit of a server, as one sentence; undefined when none. */
export function lastProblem(entry: UpstreamEntry): string | undefined {
  const handle = entry.handle;
  if (!handle) return undefined;
  if (handle.lastError) return shortMessageOf(handle.lastError);
  return handle.lastExit?.reason;
}

/** `starting`, `restarting (attempt 2)`, `failed: container was OOMKilled (memory limit 64m)`, `disabled`. */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** "3/7 layers, 45.1/120.3 MB" */
export function describePull(pull: PullStatus): string {
  const bytes = pull.bytesTotal > 0 ? `, ${megabytes(pull.bytesDone)}/${megabytes(pull.bytesTotal)}` : "";
  return `${pull.layersDone}/${pull.layers} layers${bytes}`;
}

export function stateSentence(entry: UpstreamEntry): string {
  const unreachable = entry.handle?.engineUnreachable;
  if (unreachable !== undefined && entry.state === "restarting") {
    return `engine unreachable: ${unreachable}; it starts again by itself when the engine answers`;
  }
  const pull = entry.handle?.pull;
  if (entry.state === "pulling" && pull !== undefined) {
    return `pulling image ${pull.image}: ${describePull(pull)}`;
  }
  const preparing = describePreparing(entry.handle);
  if (entry.state === "preparing" && preparing !== undefined) return preparing;
  if (entry.state === "failed") {
    const problem = describePrepareFailure(entry.handle?.lastError) ?? lastProblem(entry);
    return problem === undefined ? "failed" : `failed: ${problem}`;
  }
  if (entry.state === "restarting" && entry.handle && entry.handle.restarts > 0) {
    const problem = entry.handle.lastExit?.reason;
    return `restarting (restart ${entry.handle.restarts}${problem === undefined ? "" : ` after: ${problem}`})`;
  }
  return entry.state;
}

/** `server "x" is failed: …. Diagnosis: … Fix: …` for MCP errors. */
export function describeUnavailable(entry: UpstreamEntry): string {
  const sentence = `upstream server "${entry.name}" is ${stateSentence(entry)}`;
  if (entry.state === "disabled") {
    return `${sentence} in the config; enable it (POST /api/v1/servers/${entry.name}/enable) to use its tools`;
  }
  const finding = findingsOf(entry)[0];
  if (finding) return `${sentence}. Diagnosis: ${finding.title}. Fix: ${finding.fix}`;
  if (
    entry.state === "starting" ||
    entry.state === "restarting" ||
    entry.state === "pulling" ||
    entry.state === "preparing"
  ) {
    return `${sentence}; try again in a moment (upstream_servers operation "logs" shows its output)`;
  }
  return `${sentence}. See its log with upstream_servers {"operation":"logs","name":"${entry.name}"} or \`mcpproxy doctor\``;
}

/**
 * A call that failed because the upstream went away under it (its connection
 * closed). The registry's state may not have caught up yet (it can still say
 * `ready`), so a `ready` state is never reported for the failed call.
 */
export function describeCallFailure(entry: UpstreamEntry, tool: string, cause: string): string {
  if (entry.state === "ready" || entry.state === "starting" || entry.state === "stopping") {
    return (
      `upstream server "${entry.name}" failed during the call to "${tool}" (${cause}); ` +
      `its state is being re-evaluated and it restarts per the restart policy; try again in a moment`
    );
  }
  return `call to "${tool}" failed (${cause}): ${describeUnavailable(entry)}`;
}
