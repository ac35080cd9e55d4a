// Suggesting bigger limits: Docker memory sizes (grammar from
// @mcpproxy/docker-grammar) and Go-style durations for the config.
import { formatMemoryBytes, memoryBytes } from "@mcpproxy/docker-grammar";

/** Bytes of a Docker memory value ("512m", "1g", "1.5g", "67108864", "64MB"); undefined when unparsable. */
export function parseMemory(value: string): number | undefined {
  return memoryBytes(value.trim());
}

/** Bytes as the shortest exact Docker memory value: 1073741824 → "1g", 805306368 → "768m". */
export function formatMemory(bytes: number): string {
  return formatMemoryBytes(bytes);
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
