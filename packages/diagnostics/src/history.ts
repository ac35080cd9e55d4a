// What the proxy recorded about a server's last failure, read back from its
// log: the error record (logServerError: code, phase, exit with OOMKilled,
// stderr tail, image), the `exited` records and the state changes. With it the
// doctor diagnoses a failure after the fact: the container is gone (--rm), the
// server is restarting or failed, or the proxy has stopped.
import { evidenceFromError, evidenceFromExit, mergeEvidence } from "./evidence.ts";
import type { DiagnosisEvidence } from "./findings.ts";

export interface RecordedFailure {
  /** When the failure was logged (ISO). */
  at: string | undefined;
  /** The last state the proxy logged for the server: "restarting", "failed", "stopped", ... */
  state: string | undefined;
  /** The startup phase the failure happened in (`initialize`, `spawn`, ...), when logged. */
  phase: string | undefined;
  /** The logged error's code and short message. */
  code: string | undefined;
  message: string | undefined;
  /** How many failures were logged since the last start decision (restart loop length). */
  failures: number;
  /** Evidence rebuilt from the records, for diagnose(). */
  evidence: DiagnosisEvidence;
}

type LogRecord = Record<string, unknown>;

function parse(line: string): LogRecord | undefined {
  try {
    const record: unknown = JSON.parse(line);
    return typeof record === "object" && record !== null ? (record as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** An `exited` record of a process or container that died by itself (not one we stopped). */
function exitEvidence(record: LogRecord): DiagnosisEvidence | undefined {
  const exitCode = record["exit_code"];
  if (record["oom_killed"] === undefined && exitCode === undefined) return undefined;
  return evidenceFromExit({
    exitCode: typeof exitCode === "number" ? exitCode : null,
    oomKilled: record["oom_killed"] === true ? true : undefined,
  });
}

/**
 * The last failure recorded in a server's log lines (pino JSON, oldest first),
 * or undefined when there is none or the server became ready after it.
 */
export function failureFromLogLines(lines: readonly string[]): RecordedFailure | undefined {
  let failure: { record: LogRecord; err: LogRecord } | undefined;
  let exit: DiagnosisEvidence | undefined;
  let state: string | undefined;
  let failures = 0;
  for (const line of lines) {
    const record = parse(line);
    if (record === undefined) continue;
    const err = record["err"];
    if (record["level"] === "error" && typeof err === "object" && err !== null) {
      failure = { record, err: err as LogRecord };
      failures++;
    }
    const exited = exitEvidence(record);
    if (exited !== undefined) exit = exited;
    const newState = text(record["state"]);
    if (newState === undefined) continue;
    state = newState;
    // Ready again: what failed before is history, not the current problem.
    if (newState === "ready") {
      failure = undefined;
      exit = undefined;
      failures = 0;
    }
  }
  if (failure === undefined) return undefined;
  const fromError = evidenceFromError(failure.err);
  return {
    at: text(failure.record["time"]),
    state,
    phase: text(failure.err["phase"]),
    code: fromError.errorCode,
    message: fromError.errorMessage,
    failures,
    evidence: mergeEvidence(fromError, exit ?? {}),
  };
}
