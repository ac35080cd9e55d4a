/** How bad a finding is. `high` blocks auto-approval (a person must look). */
export type Severity = "high" | "medium" | "low";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** Where in a definition the offending text is. */
export interface FindingSpan {
  /** Dotted path of the scanned field: `description`, `inputSchema.properties.a.description`,
   *  or a property *key* as `inputSchema.properties[content_from_reading_ssh_id_rsa]`. */
  field: string;
  /** UTF-16 offsets into that field's text, end exclusive. */
  start: number;
  end: number;
  /** The matched text with some context, invisible characters shown as `<U+XXXX>`. */
  excerpt: string;
}

/** Stable codes, one per rule. */
export type FindingCode =
  | "hidden-instruction-block"
  | "instruction-override"
  | "conceal-from-user"
  | "pre-tool-directive"
  | "covert-action"
  | "coercive-pressure"
  | "command-prefix-injection"
  | "cross-tool-instruction"
  | "shadowing-reference"
  | "sensitive-path"
  | "send-to-destination"
  | "conversation-history-theft"
  | "parameter-smuggling"
  | "hidden-padding"
  | "oversized-text"
  | "unicode-tag-characters"
  | "bidi-control"
  | "zero-width-character"
  | "control-character"
  | "confusable-name"
  | "non-ascii-name";

export interface ScanFinding {
  code: FindingCode;
  severity: Severity;
  message: string;
  span: FindingSpan;
}

/** Shows invisible and control characters so a reviewer can see them. */
export function visible(text: string): string {
  return text.replace(/[^\P{C}\n\t]|[\u{E0000}-\u{E007F}]/gu, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
  });
}

const CONTEXT = 30;

/** Builds the span for `text[start, end)` with a little context either side. */
export function spanOf(field: string, text: string, start: number, end: number): FindingSpan {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  const excerpt = `${from > 0 ? "…" : ""}${visible(text.slice(from, to))}${to < text.length ? "…" : ""}`;
  return { field, start, end, excerpt: excerpt.replace(/\s+/g, " ") };
}

/** True when any finding is high severity, i.e. the definition must not be approved automatically. */
export function blocksAutoApproval(findings: readonly ScanFinding[]): boolean {
  return findings.some((finding) => finding.severity === "high");
}
