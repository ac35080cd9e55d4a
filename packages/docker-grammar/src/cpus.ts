// `--cpus`: a positive decimal number of CPUs; the engine stores NanoCpus
// (CPUs × 1e9, which must be a whole number: at most 9 decimals).
import { DockerGrammarError } from "./errors.ts";

/** `--cpus` as a pattern string (JSON Schema `pattern` takes it as is); the value must also be > 0. */
export const CPUS_PATTERN = "^(\\d+(\\.\\d*)?|\\.\\d+)$";
const CPUS = new RegExp(CPUS_PATTERN);

/** NanoCpus of a `--cpus` value ("1.5" → 1500000000), or undefined when Docker would reject it. */
export function nanoCpus(text: string): number | undefined {
  if (!CPUS.test(text)) return undefined;
  const [whole = "", fraction = ""] = text.split(".");
  if (fraction.replace(/0+$/, "").length > 9) return undefined;
  const nano = Number(whole || "0") * 1e9 + Number(fraction.padEnd(9, "0").slice(0, 9) || "0");
  return nano > 0 && Number.isSafeInteger(nano) ? nano : undefined;
}

/** Like `nanoCpus`, but throws `DockerGrammarError` (`INVALID_CPUS`). */
export function parseNanoCpus(text: string): number {
  const nano = nanoCpus(text);
  if (nano === undefined) {
    throw new DockerGrammarError(
      "INVALID_CPUS",
      text,
      `${JSON.stringify(text)} is not a positive number of CPUs; use e.g. "0.5" or "1.0"`,
    );
  }
  return nano;
}

/** True for text shaped like a decimal number of CPUs (it may still be 0). */
export function isCpusNumber(text: string): boolean {
  return CPUS.test(text);
}
