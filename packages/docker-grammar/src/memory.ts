// Docker's size grammar (go-units RAMInBytes, used by --memory, --shm-size,
// --memory-swap, --device-*-bps): a decimal number, an optional space, an
// optional binary unit k/m/g/t/p, optional "i", optional "b". "1.2.3m" is not one.
import { DockerGrammarError } from "./errors.ts";

const UNIT_BYTES: Readonly<Record<string, number>> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};
/** The size grammar as a pattern string (JSON Schema `pattern` takes it as is). */
export const MEMORY_SIZE_PATTERN = "^\\d+(\\.\\d+)? ?(([kmgtpKMGTP])[iI]?[bB]?|[bB])?$";
const SIZE = new RegExp(MEMORY_SIZE_PATTERN);

/** Docker refuses `--memory` below 6 MiB. */
export const DOCKER_MIN_MEMORY_BYTES = 6 * 1024 ** 2;

/** Bytes of a Docker size ("512m", "1g", "1.5GiB", "64MB", "536870912"), or undefined when Docker would reject it. */
export function memoryBytes(text: string): number | undefined {
  if (!SIZE.test(text)) return undefined;
  const number = /^\d+(?:\.\d+)?/.exec(text)?.[0] ?? "";
  const unit = text.slice(number.length).trim().charAt(0).toLowerCase();
  // go-units truncates: int64(float * unit).
  return Math.floor(Number(number) * (UNIT_BYTES[unit] ?? 1));
}

/** Like `memoryBytes`, but throws `DockerGrammarError` (`INVALID_MEMORY`). */
export function parseMemoryBytes(text: string): number {
  const bytes = memoryBytes(text);
  if (bytes === undefined) {
    throw new DockerGrammarError(
      "INVALID_MEMORY",
      text,
      `${JSON.stringify(text)} is not a Docker size; use e.g. "512m" or "1g"`,
    );
  }
  return bytes;
}

/** Bytes as the shortest exact Docker size: 1073741824 → "1g", 805306368 → "768m", 1000 → "1000". */
export function formatMemoryBytes(bytes: number): string {
  for (const unit of ["p", "t", "g", "m", "k"] as const) {
    const size = UNIT_BYTES[unit] ?? 1;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
