import type {
  AnyDefinition,
  DefinitionKind,
  PromptDefinition,
  ResourceDefinition,
  ToolDefinition,
} from "../definitions.ts";
import { SecurityError } from "../errors.ts";
import { SEVERITY_RANK, spanOf, type ScanFinding, type Severity } from "./finding.ts";
import { PROSE_RULES, type ProseRule } from "./prose-rules.ts";
import { textFields, type TextField } from "./text-fields.ts";
import { CHARACTER_RULES, displayedText, lookalikeLetters, nameSkeleton } from "./unicode-rules.ts";

/** A tool offered by another upstream server (input for shadowing/look-alike checks). */
export interface OtherServerTool {
  server: string;
  name: string;
}

export interface ScanOptions {
  /** Tools of the *other* servers: references to them, or look-alike names, are flagged. */
  otherServersTools?: readonly OtherServerTool[];
  /** Longest acceptable top-level description, in characters. Default 4000. */
  maxDescriptionLength?: number;
  /** Longest acceptable text of any other field (schema descriptions, titles). Default 1000. */
  maxFieldLength?: number;
}

export const DEFAULT_MAX_DESCRIPTION_LENGTH = 4000;
export const DEFAULT_MAX_FIELD_LENGTH = 1000;

// A run of padding inside a line: pushes a payload out of view in a client's UI.
const PADDING = /(?<=\S)[ \t\u00A0\u00B7\u2000-\u200A\u3000]{40,}(?=\S)/gu;

/** Scans one tool/prompt/resource. Deterministic: same input, same findings, same order. */
export function scanDefinition(
  kind: DefinitionKind,
  definition: AnyDefinition,
  options: ScanOptions = {},
): ScanFinding[] {
  const maxDescription = limit(
    options.maxDescriptionLength,
    DEFAULT_MAX_DESCRIPTION_LENGTH,
    "maxDescriptionLength",
  );
  const maxField = limit(options.maxFieldLength, DEFAULT_MAX_FIELD_LENGTH, "maxFieldLength");
  const references = referenceMatchers(options.otherServersTools ?? []);
  const findings: ScanFinding[] = [];
  for (const field of textFields(kind, definition)) {
    // Match on the text as the model reads it: "ig<U+200B>nore previous", full-width letters and
    // tag-smuggled ASCII do not evade; offsets are mapped back to the text the server sent.
    const displayed = displayedText(field.text, { decodeTags: true });
    scanProse(field, displayed, findings);
    scanCharacters(field, findings);
    scanReferences(field, displayed, references, findings);
    if (field.isName) scanName(field, options.otherServersTools ?? [], findings);
    const max = field.path === "description" ? maxDescription : maxField;
    if (field.text.length > max) {
      findings.push({
        code: "oversized-text",
        severity: "medium",
        message: `${field.path} is ${field.text.length} characters (limit ${max}): long text hides instructions`,
        span: spanOf(field.path, field.text, max, field.text.length),
      });
    }
  }
  return dedupe(findings);
}

export const scanTool = (tool: ToolDefinition, options?: ScanOptions): ScanFinding[] =>
  scanDefinition("tool", tool, options);
export const scanPrompt = (prompt: PromptDefinition, options?: ScanOptions): ScanFinding[] =>
  scanDefinition("prompt", prompt, options);
export const scanResource = (resource: ResourceDefinition, options?: ScanOptions): ScanFinding[] =>
  scanDefinition("resource", resource, options);

type Displayed = ReturnType<typeof displayedText>;

/** The span in the original text of `displayed.text[index, index + length)`. */
function originalSpan(field: TextField, displayed: Displayed, index: number, length: number) {
  const start = displayed.starts === null ? index : (displayed.starts[index] ?? 0);
  const end =
    displayed.ends === null ? index + length : (displayed.ends[index + length - 1] ?? field.text.length);
  return spanOf(field.path, field.text, start, end);
}

function scanProse(field: TextField, displayed: Displayed, findings: ScanFinding[]): void {
  for (const rule of PROSE_RULES) {
    for (const pattern of rule.patterns) {
      for (const match of displayed.text.matchAll(pattern)) {
        const span = originalSpan(field, displayed, match.index, match[0].length);
        const severity = escalated(rule, field, displayed.text, match.index, match[0].length);
        findings.push({ code: rule.code, severity, message: rule.message, span });
      }
    }
  }
  for (const match of field.text.matchAll(PADDING)) {
    findings.push({
      code: "hidden-padding",
      severity: "medium",
      message: `${match[0].length} padding characters inside a line push the rest out of view`,
      span: spanOf(field.path, field.text, match.index, match.index + match[0].length),
    });
  }
}

const NEAR = 80;

function escalated(rule: ProseRule, field: TextField, text: string, index: number, length: number): Severity {
  if (rule.highWhen === undefined) return rule.severity;
  if (field.isName) return "high";
  const before =
    text
      .slice(Math.max(0, index - NEAR), index)
      .split("\n")
      .at(-1) ?? "";
  const after = text.slice(index + length, index + length + NEAR).split("\n")[0] ?? "";
  return rule.highWhen.test(`${before} ${after}`) ? "high" : rule.severity;
}

function scanCharacters(field: TextField, findings: ScanFinding[]): void {
  for (const rule of CHARACTER_RULES) {
    for (const match of field.text.matchAll(rule.pattern)) {
      // Invisible characters in an identifier are never innocent: raise to high.
      const severity = field.isName ? "high" : rule.severity;
      const hidden =
        rule.code === "unicode-tag-characters"
          ? `; hidden text: "${displayedText(match[0], { decodeTags: true }).text}"`
          : "";
      const span = spanOf(field.path, field.text, match.index, match.index + match[0].length);
      findings.push({ code: rule.code, severity, message: rule.message + hidden, span });
    }
  }
}

interface ReferenceMatcher {
  tool: OtherServerTool;
  /** Lower-case name: a cheap substring test before the regular expression runs. */
  needle: string;
  pattern: RegExp;
}

// One evaluation scans many definitions against the same list: compile its patterns once.
const MATCHERS = new WeakMap<readonly OtherServerTool[], ReferenceMatcher[]>();

// Only distinctive names are matched as references: `send_email`, `listChats`, not `search`.
function isDistinctive(name: string): boolean {
  return name.length >= 5 && /[_\-.]|[a-z][A-Z]/.test(name);
}

function referenceMatchers(tools: readonly OtherServerTool[]): ReferenceMatcher[] {
  const cached = MATCHERS.get(tools);
  if (cached !== undefined) return cached;
  const matchers = tools.map((tool) => {
    const escaped = tool.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const server = tool.server.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const qualified = String.raw`\(?${server}\)?\s*[:./_-]{0,2}\s*${escaped}`;
    const source = isDistinctive(tool.name)
      ? `(?<![A-Za-z0-9])(${qualified}|${escaped})(?![A-Za-z0-9])`
      : `${qualified}\\b`;
    return { tool, needle: tool.name.toLowerCase(), pattern: new RegExp(source, "giu") };
  });
  MATCHERS.set(tools, matchers);
  return matchers;
}

function scanReferences(
  field: TextField,
  displayed: Displayed,
  matchers: readonly ReferenceMatcher[],
  findings: ScanFinding[],
): void {
  if (field.isName || matchers.length === 0) return;
  const lower = displayed.text.toLowerCase();
  for (const { tool, needle, pattern } of matchers) {
    if (!lower.includes(needle)) continue;
    for (const match of displayed.text.matchAll(pattern)) {
      findings.push({
        code: "shadowing-reference",
        severity: "high",
        message: `refers to tool "${tool.name}" of server "${tool.server}": a tool has no business steering another server's tools`,
        span: originalSpan(field, displayed, match.index, match[0].length),
      });
    }
  }
}

const SKELETONS = new WeakMap<readonly OtherServerTool[], Map<string, OtherServerTool[]>>();

/** Other servers' tools by name skeleton, built once per tool list. */
function skeletonIndex(others: readonly OtherServerTool[]): Map<string, OtherServerTool[]> {
  let index = SKELETONS.get(others);
  if (index === undefined) {
    index = new Map();
    for (const other of others) {
      const skeleton = nameSkeleton(other.name);
      index.set(skeleton, [...(index.get(skeleton) ?? []), other]);
    }
    SKELETONS.set(others, index);
  }
  return index;
}

function scanName(field: TextField, others: readonly OtherServerTool[], findings: ScanFinding[]): void {
  const lookalikes = lookalikeLetters(field.text);
  const first = lookalikes[0];
  const last = lookalikes.at(-1);
  if (first !== undefined && last !== undefined) {
    findings.push({
      code: "confusable-name",
      severity: "high",
      message: `name "${field.text}" uses letters that imitate Latin ones (reads as "${nameSkeleton(field.text)}")`,
      span: spanOf(field.path, field.text, first.start, last.end),
    });
  } else if (/[^\p{ASCII}]/u.test(field.text)) {
    findings.push({
      code: "non-ascii-name",
      severity: "low",
      message: `name "${field.text}" contains non-ASCII characters`,
      span: spanOf(field.path, field.text, 0, field.text.length),
    });
  }
  if (field.path !== "name") return;
  const lookalikesOf = skeletonIndex(others).get(nameSkeleton(field.text)) ?? [];
  for (const other of lookalikesOf) {
    if (other.name !== field.text) {
      findings.push({
        code: "confusable-name",
        severity: "high",
        message: `name "${field.text}" looks the same as tool "${other.name}" of server "${other.server}"`,
        span: spanOf(field.path, field.text, 0, field.text.length),
      });
    }
  }
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new SecurityError("INVALID_ARGUMENT", `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** One finding per (code, field, start); sorted by field, offset, then severity. */
function dedupe(findings: ScanFinding[]): ScanFinding[] {
  const seen = new Map<string, ScanFinding>();
  for (const finding of findings) {
    const key = `${finding.code}\u0000${finding.span.field}\u0000${finding.span.start}`;
    if (!seen.has(key)) seen.set(key, finding);
  }
  return [...seen.values()].sort(
    (a, b) =>
      a.span.field.localeCompare(b.span.field) ||
      a.span.start - b.span.start ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.code.localeCompare(b.code),
  );
}
