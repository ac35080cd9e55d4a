// Problems found in a config, the result union of loading/validating, and the
// small text helpers that make messages precise (paths, values, did-you-mean).
import type { McpProxyConfig } from "./types.ts";

export type ConfigIssueCode =
  // errors
  | "CONFIG_NOT_FOUND"
  | "SYNTAX_ERROR"
  | "NOT_AN_OBJECT"
  | "INVALID_TYPE"
  | "MISSING_FIELD"
  | "EMPTY_VALUE"
  | "INVALID_ENUM"
  | "INVALID_LISTEN"
  | "INVALID_MEMORY"
  | "INVALID_CPU"
  | "INVALID_DURATION"
  | "INVALID_NETWORK"
  | "INVALID_VOLUME"
  | "INVALID_ENV_KEY"
  | "INVALID_SERVER_NAME"
  | "DUPLICATE_SERVER_NAME"
  | "SERVER_NAME_MISMATCH"
  | "INVALID_IMAGE"
  | "INVALID_REGISTRY"
  | "INVALID_CONTAINER_PATH"
  | "INVALID_EXTRA_ARG"
  | "INVALID_PIDS_LIMIT"
  | "INVALID_CAPABILITY"
  | "INVALID_USER"
  | "INVALID_SIZE"
  // warnings
  | "UNKNOWN_KEY"
  | "DUPLICATE_KEY"
  | "NETWORK_NAME_TYPO"
  | "RISKY_EXTRA_ARG"
  | "SHARED_NETWORK"
  | "ISOLATION_NOT_APPLIED";

export interface ConfigIssue {
  /** Where in the file, e.g. `mcpServers[2].isolation.memory_limit`; "" for the file as a whole. */
  path: string;
  /** What is wrong and how to fix it, e.g. `"512" has no unit; use e.g. "512m" or "1g"`. */
  message: string;
  code: ConfigIssueCode;
  /** 1-based position in the text, when the issue came from parsing text. */
  line?: number | undefined;
  column?: number | undefined;
  /** The file (or other source name) the position refers to; set on syntax errors. */
  file?: string | undefined;
}

export interface ConfigOk {
  ok: true;
  config: McpProxyConfig;
  warnings: ConfigIssue[];
  /** The file or source name given by the caller, if any. */
  source: string | undefined;
}

export interface ConfigFailure {
  ok: false;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  source: string | undefined;
}

/** What parsing, validating or loading a config gives: never a throw for bad input. */
export type ConfigResult = ConfigOk | ConfigFailure;

/** One line per issue: `path: message`, or `file:line:column: message` for a syntax error. */
export function formatIssues(issues: readonly ConfigIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === "SYNTAX_ERROR" && issue.line !== undefined) {
      return `${issue.file ?? "<input>"}:${issue.line}:${issue.column ?? 1}: ${issue.message}`;
    }
    return issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`;
  });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["mcpServers", 2, "isolation"]` → `mcpServers[2].isolation`; odd keys as `env["MY-KEY"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment))
      out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Longest text copied from the config into a message; longer text is cut and ends in "...". */
export const MAX_SHOWN_CHARS = 60;

/** `text` cut to `max` characters (MAX_SHOWN_CHARS by default), for putting user text into a message. */
export function clip(text: string, max = MAX_SHOWN_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** A path for a message, cut short when it holds a huge key. */
export function shortPath(segments: readonly PropertyKey[]): string {
  return clip(formatPath(segments), 200);
}

/** A string from the config, quoted and cut short for a message: `"512"`, `"aaaa..."`. */
export function quote(text: string): string {
  return JSON.stringify(clip(text));
}

/** A short description of a JSON value for messages: `"512"`, `the number 512`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return "an object";
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("hots" → "host": 1). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

const squash = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, "");

/** The candidate the user most likely meant (typo, case, camelCase or dashes), if any is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const exact = candidates.find((candidate) => squash(candidate) === squash(input));
  if (exact !== undefined) return exact;
  const lower = input.toLowerCase();
  const prefix = candidates.find(
    (c) => Math.min(c.length, lower.length) >= 3 && lower.startsWith(c.toLowerCase()),
  );
  if (prefix !== undefined) return prefix;
  const limit = input.length <= 4 ? 1 : input.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip the O(n·m) table for far-off lengths.
    if (Math.abs(candidate.length - input.length) >= bestDistance) continue;
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `a, b or c` with each item quoted. */
export function quotedList(items: readonly string[]): string {
  const quoted = items.map((item) => JSON.stringify(item));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1] ?? ""}`;
}
