// Text → ConfigResult. The file may hold // and /* */ comments and trailing
// commas (people paste the spec's examples). Syntax errors carry file, line
// and column; schema issues also get the line and column of what they name.
import {
  createScanner,
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from "jsonc-parser";
import { describeValue, quote, type ConfigIssue, type ConfigResult } from "./issues.ts";
import type { RawIssue, Segments } from "./keys.ts";
import { toConfigIssue, validateRaw, type ValidateOptions } from "./validate.ts";

export type ParseOptions = ValidateOptions;

/** Line starts of a text, to turn offsets into 1-based line/column. */
function positionOf(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}

function syntaxMessage(error: ParseError, text: string): string {
  const snippet = text.slice(error.offset, error.offset + Math.min(error.length, 40));
  const after = text.slice(error.offset + error.length).trimStart();
  switch (printParseErrorCode(error.error)) {
    case "InvalidSymbol":
      if (/^'.*'$/.test(snippet)) return `strings need double quotes: write "${snippet.slice(1, -1)}"`;
      if (/^[A-Za-z_$][\w$-]*$/.test(snippet) && after.startsWith(":")) {
        return `property names need double quotes: write "${snippet}"`;
      }
      return `unexpected ${snippet}; a value is true, false, null, a number, a "string", an [array] or an {object}`;
    case "InvalidNumberFormat":
      return `invalid number ${snippet}`;
    case "PropertyNameExpected":
      return `expected a property name in double quotes, found ${snippet || "the end of the file"}`;
    case "ValueExpected":
      return `expected a value, found ${snippet || "the end of the file"}`;
    case "ColonExpected":
      return `expected ":" after the property name, found ${snippet || "the end of the file"}`;
    case "CommaExpected":
      return `expected "," before ${snippet}`;
    case "CloseBraceExpected":
      return `expected "}" to close the object, found ${snippet || "the end of the file"}`;
    case "CloseBracketExpected":
      return `expected "]" to close the array, found ${snippet || "the end of the file"}`;
    case "EndOfFileExpected":
      return `unexpected ${snippet} after the end of the config object`;
    case "UnexpectedEndOfComment":
      return `unterminated /* comment`;
    case "UnexpectedEndOfString":
      return `unterminated string; add the closing "`;
    case "InvalidEscapeCharacter":
      return `invalid escape in ${snippet}; write each backslash twice (C:\\\\Users) or use forward slashes`;
    case "InvalidCharacter":
      return `a line break or control character inside a string; write it as \\n or \\t`;
    default:
      return `invalid JSON at ${snippet || "the end of the file"}`;
  }
}

/** Tokens (not comments or whitespace) from `from` up to `to`. */
function tokensBetween(text: string, from: number, to: number): number {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  let count = 0;
  for (;;) {
    scanner.scan();
    const offset = scanner.getTokenOffset();
    if (offset >= to || scanner.getTokenLength() === 0) return count;
    const start = text.slice(offset, offset + 2);
    if (start !== "//" && start !== "/*") count++;
  }
}

function syntaxIssues(errors: readonly ParseError[], text: string, file: string | undefined): ConfigIssue[] {
  const position = positionOf(text);
  const issues: ConfigIssue[] = [];
  let previousEnd = -1;
  for (const error of errors) {
    // Error recovery cascades: one bad token yields more errors right after it. Keep the first.
    const cascade = previousEnd >= 0 && tokensBetween(text, previousEnd, error.offset) <= 1;
    previousEnd = error.offset + error.length;
    if (cascade) continue;
    const { line, column } = position(error.offset);
    issues.push({ path: "", code: "SYNTAX_ERROR", message: syntaxMessage(error, text), line, column, file });
  }
  return issues;
}

/** File order; issues without a position last. */
function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  const line = (a.line ?? Infinity) - (b.line ?? Infinity);
  if (line !== 0 && !Number.isNaN(line)) return line;
  return (a.column ?? 0) - (b.column ?? 0);
}

/** Keys that appear more than once in one object: JSON.parse keeps the last, and so do we, with a warning. */
function duplicateKeys(
  node: Node,
  at: Segments,
  position: ReturnType<typeof positionOf>,
  out: RawIssue[],
): void {
  if (node.type === "array") {
    node.children?.forEach((child, index) => duplicateKeys(child, [...at, index], position, out));
    return;
  }
  if (node.type !== "object") return;
  const byKey = new Map<string, Node[]>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode === undefined) continue;
    const key = String(keyNode.value);
    byKey.set(key, [...(byKey.get(key) ?? []), property]);
    if (valueNode !== undefined) duplicateKeys(valueNode, [...at, key], position, out);
  }
  for (const [key, properties] of byKey) {
    if (properties.length < 2) continue;
    const lines = properties.map((property) => position(property.offset).line);
    const last = properties[properties.length - 1]?.children?.[1];
    const used = last === undefined ? "" : `, ${describeValue(getNodeValue(last))},`;
    out.push({
      segments: [...at, key],
      code: "DUPLICATE_KEY",
      message: `${quote(key)} is given ${properties.length} times (lines ${lines.join(", ")}); the last one${used} is used and the others are ignored`,
    });
  }
}

/** Node an issue points at: the key for key issues, else the value, else the nearest existing parent. */
function nodeFor(tree: Node, issue: RawIssue): Node | undefined {
  const pointAtKey = issue.code === "UNKNOWN_KEY" || issue.code === "DUPLICATE_KEY";
  for (let length = issue.segments.length; length >= 0; length--) {
    const found = findNodeAtLocation(tree, issue.segments.slice(0, length));
    if (found === undefined) continue;
    if (pointAtKey && length === issue.segments.length && found.parent?.type === "property") {
      // findNodeAtLocation finds the first of duplicate keys; point at the last.
      const siblings = found.parent.parent?.children ?? [];
      const key = issue.segments[issue.segments.length - 1];
      const matching = siblings.filter((property) => property.children?.[0]?.value === key);
      return matching[matching.length - 1]?.children?.[0] ?? found.parent;
    }
    return found;
  }
  return undefined;
}

/** Deepest nesting of arrays and objects accepted; deeper text would overflow the parser's stack. */
export const MAX_NESTING_DEPTH = 100;

/** Offset of the first bracket nested deeper than `limit` (strings and comments skipped), if any. */
function tooDeepAt(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n"; i++) if (text[i] === "\\") i++;
    } else if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (char === "[" || char === "{") {
      depth++;
      if (depth > limit) return i;
    } else if (char === "]" || char === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function tooDeep(text: string, offset: number, source: string | undefined): ConfigResult {
  const message = `nesting deeper than ${MAX_NESTING_DEPTH} levels is not supported; a config is at most a few levels deep`;
  const { line, column } = positionOf(text)(offset);
  const errors: ConfigIssue[] = [{ path: "", code: "SYNTAX_ERROR", message, line, column, file: source }];
  return { ok: false, errors, warnings: [], source };
}

/** Parse mcp_config.json text (comments and trailing commas allowed) and validate it. Never throws for bad input. */
export function parseConfig(text: string, options: ParseOptions = {}): ConfigResult {
  const source = options.source;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") {
    const message = `the file is empty; write a JSON object such as {"mcpServers": []}`;
    const errors: ConfigIssue[] = [
      { path: "", code: "SYNTAX_ERROR", message, line: 1, column: 1, file: source },
    ];
    return { ok: false, errors, warnings: [], source };
  }
  const deepAt = tooDeepAt(body, MAX_NESTING_DEPTH);
  if (deepAt !== undefined) return tooDeep(body, deepAt, source);
  try {
    return parseChecked(body, source);
  } catch (error) {
    // A stack overflow in the parser or in validation: report it, never throw it.
    if (error instanceof RangeError) return tooDeep(body, 0, source);
    throw error;
  }
}

function parseChecked(body: string, source: string | undefined): ConfigResult {
  const parseErrors: ParseError[] = [];
  const tree = parseTree(body, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || tree === undefined) {
    return { ok: false, errors: syntaxIssues(parseErrors, body, source), warnings: [], source };
  }
  const position = positionOf(body);
  const duplicates: RawIssue[] = [];
  duplicateKeys(tree, [], position, duplicates);
  const validation = validateRaw(getNodeValue(tree));
  const located = (issue: RawIssue): ConfigIssue => {
    const node = nodeFor(tree, issue);
    return { ...toConfigIssue(issue), ...(node === undefined ? {} : position(node.offset)) };
  };
  const warnings = [...duplicates, ...validation.warnings].map(located).sort(byPosition);
  if (validation.config === undefined) {
    return { ok: false, errors: validation.errors.map(located).sort(byPosition), warnings, source };
  }
  return { ok: true, config: validation.config, warnings, source };
}
