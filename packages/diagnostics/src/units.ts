// Docker memory sizes and Go-style durations, for suggesting bigger limits.

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes of a Docker memory value ("512m", "1g", "1.5g", "67108864", "64MB"); undefined when unparsable. */
export function parseMemory(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg])?b?\s*$/i.exec(value);
  if (!match?.[1]) return undefined;
  const unit = UNITS[(match[2] ?? "b").toLowerCase()] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

/** Bytes as the shortest exact Docker memory value: 1073741824 → "1g", 805306368 → "768m". */
export function formatMemory(bytes: number): string {
  for (const unit of ["g", "m", "k"] as const) {
    const size = UNITS[unit] as number;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Twice the given memory limit (at least 1g when unknown or unparsable). */
export function doubledMemory(current: string | undefined): string {
  const bytes = current === undefined ? undefined : parseMemory(current);
  return formatMemory(bytes === undefined ? 1024 ** 3 : bytes * 2);
}

/** Milliseconds as a Go-style duration the config accepts: 60000 → "60s", 150000 → "150s", 500 → "500ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
