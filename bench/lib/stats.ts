// Sample statistics of the benchmark: nearest-rank percentiles over all
// samples of all rounds, plus the median of the per-round medians.

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
  /** Median of each round's median: robust to one noisy round. */
  roundMedian: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Summary of samples grouped by round (one inner array per round). */
export function summarize(rounds: readonly (readonly number[])[]): Summary {
  const all = rounds.flat();
  return {
    n: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    min: Math.min(...all),
    max: Math.max(...all),
    mean: all.reduce((sum, x) => sum + x, 0) / Math.max(1, all.length),
    roundMedian: median(rounds.filter((r) => r.length > 0).map((r) => median(r))),
  };
}
