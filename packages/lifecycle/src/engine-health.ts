// Which engines seem hung. After a call to an endpoint timed out, later calls
// to it get at most HUNG_ENGINE_TIMEOUT_MS until one answers again, whether
// they go through the docker CLI or the Engine API: a hung engine costs a
// shutdown one full timeout, not one per call (and not one per client).

/** After a call timed out, later calls get at most this long until one answers again. */
export const HUNG_ENGINE_TIMEOUT_MS = 1_500;

/** Endpoint keys (see docker-cli.ts endpointKey) whose last call timed out. */
const hungEndpoints = new Set<string>();

/** Whether the last call to this endpoint timed out (it is treated as hung until one answers). */
export function endpointSeemsHung(key: string): boolean {
  return hungEndpoints.has(key);
}

/** The limit a call to this endpoint gets: `limitMs`, or the short one while it seems hung. */
export function callLimitMs(key: string, limitMs: number): number {
  return hungEndpoints.has(key) ? Math.min(limitMs, HUNG_ENGINE_TIMEOUT_MS) : limitMs;
}

/** Records how a call ended: an answer of any kind (a refusal too) means the engine is not hung. */
export function noteEngineCall(key: string, outcome: "answered" | "timed-out"): void {
  if (outcome === "timed-out") hungEndpoints.add(key);
  else hungEndpoints.delete(key);
}

/** What an Engine API client reports to, for the endpoint it talks to. */
export interface EngineHealth {
  limitMs(limitMs: number): number;
  note(outcome: "answered" | "timed-out"): void;
}

export function engineHealthOf(key: string): EngineHealth {
  return {
    limitMs: (limitMs) => callLimitMs(key, limitMs),
    note: (outcome) => noteEngineCall(key, outcome),
  };
}
