// The crash-restart policy: how many consecutive crashes are restarted, and the
// exponential backoff between them.
import type { RestartPolicy } from "./types.ts";

export const DEFAULT_RESTART_POLICY: Readonly<Required<RestartPolicy>> = Object.freeze({
  maxRestarts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
});

/** The given policy with every unset field at its default. */
export function resolveRestartPolicy(policy: RestartPolicy = {}): Required<RestartPolicy> {
  return {
    maxRestarts: policy.maxRestarts ?? DEFAULT_RESTART_POLICY.maxRestarts,
    initialDelayMs: policy.initialDelayMs ?? DEFAULT_RESTART_POLICY.initialDelayMs,
    maxDelayMs: policy.maxDelayMs ?? DEFAULT_RESTART_POLICY.maxDelayMs,
    stableAfterMs: policy.stableAfterMs ?? DEFAULT_RESTART_POLICY.stableAfterMs,
  };
}

/** Exponential backoff: `initial * 2^(crashes-1)`, capped. */
export function backoffDelay(policy: Required<RestartPolicy>, consecutiveCrashes: number): number {
  const exponent = Math.max(0, consecutiveCrashes - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 30));
}
