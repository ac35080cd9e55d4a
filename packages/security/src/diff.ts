import { diffWordsWithSpace } from "diff";
import type { DefinitionKind } from "./definitions.ts";
import type { Fingerprint } from "./fingerprint.ts";

/** One changed leaf of a definition, addressed by a dotted path (`inputSchema.properties.a.type`). */
export interface FieldChange {
  path: string;
  change: "added" | "removed" | "changed";
  /** JSON of the old value (absent when added). */
  before?: string;
  /** JSON of the new value (absent when removed). */
  after?: string;
  /** For changed text: word-level pieces, and a one-line rendering `[-old-]{+new+}`. */
  text?: { parts: TextPart[]; rendered: string };
}

export interface TextPart {
  op: "same" | "removed" | "added";
  value: string;
}

/** Field-level difference between a pinned baseline and what a server offers now. */
export interface DefinitionDiff {
  kind: DefinitionKind;
  key: string;
  baselineHash: string;
  currentHash: string;
  changes: FieldChange[];
  /** Human-readable multi-line summary, one line per change (for CLI/REST output). */
  summary: string;
}

/** Diffs two fingerprints of the same definition (baseline first). */
export function diffFingerprints(baseline: Fingerprint, current: Fingerprint): DefinitionDiff {
  const before = flatten(JSON.parse(baseline.canonical) as unknown);
  const after = flatten(JSON.parse(current.canonical) as unknown);
  const changes: FieldChange[] = [];
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (old === now) continue;
    if (old === undefined) changes.push({ path, change: "added", after: now ?? "" });
    else if (now === undefined) changes.push({ path, change: "removed", before: old });
    else changes.push(changedField(path, old, now));
  }
  return {
    kind: current.kind,
    key: current.key,
    baselineHash: baseline.hash,
    currentHash: current.hash,
    changes,
    summary: changes.map(describeChange).join("\n"),
  };
}

function changedField(path: string, before: string, after: string): FieldChange {
  const oldValue = JSON.parse(before) as unknown;
  const newValue = JSON.parse(after) as unknown;
  if (typeof oldValue !== "string" || typeof newValue !== "string")
    return { path, change: "changed", before, after };
  const parts: TextPart[] = diffWordsWithSpace(oldValue, newValue).map((piece) => ({
    op: piece.added ? "added" : piece.removed ? "removed" : "same",
    value: piece.value,
  }));
  return { path, change: "changed", before, after, text: { parts, rendered: renderText(parts) } };
}

function renderText(parts: readonly TextPart[]): string {
  return parts
    .map((part) =>
      part.op === "same" ? part.value : part.op === "added" ? `{+${part.value}+}` : `[-${part.value}-]`,
    )
    .join("");
}

function describeChange(change: FieldChange): string {
  if (change.change === "added") return `+ ${change.path}: ${change.after ?? ""}`;
  if (change.change === "removed") return `- ${change.path}: ${change.before ?? ""}`;
  return `~ ${change.path}: ${change.text?.rendered ?? `${change.before ?? ""} → ${change.after ?? ""}`}`;
}

/** Leaves of a JSON value as path → JSON text; empty objects/arrays are leaves too. */
function flatten(value: unknown, path = "", out = new Map<string, string>()): Map<string, string> {
  const isContainer = value !== null && typeof value === "object";
  const entries = isContainer ? Object.entries(value) : [];
  if (!isContainer || entries.length === 0) {
    out.set(path === "" ? "$" : path, JSON.stringify(value));
    return out;
  }
  for (const [key, member] of entries) {
    const segment = Array.isArray(value)
      ? `[${key}]`
      : /^[A-Za-z_$][\w$-]*$/.test(key)
        ? key
        : JSON.stringify(key);
    flatten(
      member,
      path === "" ? segment : segment.startsWith("[") ? `${path}${segment}` : `${path}.${segment}`,
      out,
    );
  }
  return out;
}
