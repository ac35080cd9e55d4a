// Turning what @mcpproxy/lifecycle reports (its errors and exit infos) into
// DiagnosisEvidence, structurally, so any object of the same shape works.
import type { DiagnosisEvidence } from "./findings.ts";

/** The fields of lifecycle's ExitInfo that diagnosis reads. */
export interface ExitFacts {
  exitCode: number | null;
  oomKilled?: boolean | undefined;
  containerError?: string | undefined;
  stderrTail?: readonly string[] | undefined;
}

/** The fields of lifecycle's LifecycleError (or any error with a `code`) that diagnosis reads. */
export interface ErrorFacts {
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  phase?: unknown;
  serverName?: unknown;
  stderrTail?: unknown;
  exit?: ExitFacts | undefined;
  image?: unknown;
}

/** Evidence from how a process/container ended (lifecycle's `exit` event / `handle.lastExit`). */
export function evidenceFromExit(exit: ExitFacts): DiagnosisEvidence {
  return {
    exitCode: exit.exitCode,
    stderr: exit.stderrTail ? [...exit.stderrTail] : undefined,
    inspect:
      exit.oomKilled !== undefined || exit.containerError !== undefined
        ? {
            oomKilled: exit.oomKilled,
            exitCode: exit.exitCode ?? undefined,
            error: exit.containerError || undefined,
          }
        : undefined,
  };
}

/**
 * Evidence from a start/crash error (lifecycle's LifecycleError: code, shortMessage,
 * stderrTail, exit, image). Unknown values give empty evidence, never a throw.
 */
export function evidenceFromError(error: unknown): DiagnosisEvidence {
  if (error === undefined || error === null) return {};
  if (typeof error !== "object") {
    return typeof error === "string" ? { errorMessage: error } : {};
  }
  const facts = error as ErrorFacts;
  const fromExit = facts.exit ? evidenceFromExit(facts.exit) : {};
  const stderrTail = Array.isArray(facts.stderrTail)
    ? facts.stderrTail.filter((line): line is string => typeof line === "string")
    : undefined;
  const message = typeof facts.shortMessage === "string" ? facts.shortMessage : facts.message;
  return {
    ...fromExit,
    serverName: typeof facts.serverName === "string" ? facts.serverName : undefined,
    errorCode: typeof facts.code === "string" ? facts.code : undefined,
    phase: typeof facts.phase === "string" ? facts.phase : undefined,
    errorMessage: typeof message === "string" ? message : undefined,
    stderr: stderrTail && stderrTail.length > 0 ? stderrTail : fromExit.stderr,
    image: typeof facts.image === "string" ? facts.image : undefined,
  };
}

/**
 * Combines evidence: later sources fill what earlier ones left undefined;
 * stderr lines are concatenated without repeating identical runs.
 */
export function mergeEvidence(...sources: readonly DiagnosisEvidence[]): DiagnosisEvidence {
  const merged: Record<string, unknown> = {};
  const stderr: string[] = [];
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (key === "stderr" || value === undefined || merged[key] !== undefined) continue;
      merged[key] = value;
    }
    const lines = source.stderr ?? [];
    const overlap = lines.length > 0 && stderr.slice(-lines.length).join("\n") === lines.join("\n");
    if (!overlap) stderr.push(...lines);
  }
  return { ...(merged as DiagnosisEvidence), ...(stderr.length > 0 ? { stderr } : {}) };
}
