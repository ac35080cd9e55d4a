// Edits of the raw file text that keep the user's comments and formatting:
// adding the generated api_key, and turning a server on or off.
import { readFile } from "node:fs/promises";
import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  type FormattingOptions,
  type Node,
} from "jsonc-parser";
import { ConfigError, errnoCode } from "./errors.ts";
import { formatIssues, type ConfigIssue, type ConfigOk } from "./issues.ts";
import { parseConfig } from "./parse.ts";
import { writeConfigFile } from "./write.ts";

/** The indentation and line ending the file already uses (2 spaces and \n when it shows none). */
export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1];
  if (indent?.startsWith("\t")) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

/** `text` with a top-level `"api_key"` set (placed after "listen" when it is new). Comments are kept. */
export function withApiKey(text: string, apiKey: string): string {
  const { bom, body } = splitBom(text);
  const edits = modify(body, ["api_key"], apiKey, {
    formattingOptions: formattingOf(body),
    getInsertionIndex: (properties) => {
      const listen = properties.indexOf("listen");
      return listen >= 0 ? listen + 1 : 0;
    },
  });
  return bom + applyEdits(body, edits);
}

/** Editors on Windows may start the file with a byte order mark; edits work on the rest. */
function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith("\uFEFF") ? { bom: "\uFEFF", body: text.slice(1) } : { bom: "", body: text };
}

function lastProperty(object: Node, key: string): Node | undefined {
  const matching = (object.children ?? []).filter((property) => property.children?.[0]?.value === key);
  return matching[matching.length - 1];
}

/** The object node of the server named `name`, in either the array or the object-map form. */
function findServer(tree: Node, name: string): Node | undefined {
  const servers = findNodeAtLocation(tree, ["mcpServers"]);
  if (servers?.type === "array") {
    const children = servers.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      const node = children[index];
      if (node?.type !== "object") continue;
      const value: unknown = getNodeValue(node);
      if ((value as { name?: unknown }).name === name) return node;
    }
  }
  if (servers?.type === "object") {
    const node = lastProperty(servers, name)?.children?.[1];
    if (node?.type === "object") return node;
  }
  return undefined;
}

/**
 * Insert `"key": value` after the last property of the object. In an object that spans lines it
 * goes on a new line below, with the same indentation, after any comment ending that line;
 * otherwise inline. Nothing else in the text changes.
 */
function withNewProperty(text: string, object: Node, property: string): string {
  const last = object.children?.[object.children.length - 1];
  if (last === undefined) {
    const open = object.offset + 1;
    return text.slice(0, open) + property + text.slice(open);
  }
  const end = last.offset + last.length;
  const lineStart = text.lastIndexOf("\n", last.offset) + 1;
  const indent = text.slice(lineStart, last.offset);
  const lineEnd = text.indexOf("\n", end) < 0 ? text.length : text.indexOf("\n", end);
  const rest = /^([ \t]*)(,?)([ \t]*(?:\/\/.*|\/\*.*\*\/[ \t]*)?)\r?$/.exec(text.slice(end, lineEnd));
  if (/^[ \t]*$/.test(indent) && lineStart > object.offset && rest !== undefined && rest !== null) {
    const [, space = "", comma = "", comment = ""] = rest;
    const lineBreakEnd = text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
    const eol = formattingOf(text).eol;
    return `${text.slice(0, end)},${space}${comment}${eol}${indent}${property}${comma}${text.slice(lineBreakEnd)}`;
  }
  return `${text.slice(0, end)}, ${property}${text.slice(end)}`;
}

function invalid(path: string, what: string, issues: ConfigIssue[]): ConfigError {
  const lines = formatIssues(issues).map((line) => `  ${line}`);
  return new ConfigError("INVALID_CONFIG", `${path} ${what}:\n${lines.join("\n")}`, { file: path, issues });
}

/**
 * Set `enabled` of one server in the file, keeping comments and formatting, and write the file
 * atomically after checking that the result validates. Returns the new (or unchanged) config.
 * Throws ConfigError: CONFIG_NOT_FOUND, SERVER_NOT_FOUND, INVALID_CONFIG, READ_FAILED, WRITE_FAILED.
 */
export async function setServerEnabled(
  path: string,
  serverName: string,
  enabled: boolean,
): Promise<ConfigOk> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") {
      throw new ConfigError("CONFIG_NOT_FOUND", `${path} does not exist`, { cause: error, file: path });
    }
    throw new ConfigError("READ_FAILED", `could not read ${path}`, { cause: error, file: path });
  }
  const { bom, body: text } = splitBom(raw);
  const before = parseConfig(text, { source: path });
  if (!before.ok) throw invalid(path, "does not validate; fix it first", before.errors);
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const server = tree === undefined ? undefined : findServer(tree, serverName);
  if (server === undefined) {
    const names = before.config.mcpServers.map((s) => `"${s.name}"`).join(", ") || "none";
    throw new ConfigError(
      "SERVER_NOT_FOUND",
      `no server named "${serverName}" in ${path} (servers: ${names})`,
      {
        file: path,
      },
    );
  }
  const current = before.config.mcpServers.find((s) => s.name === serverName);
  if (current?.enabled === enabled) return before;

  const existing = lastProperty(server, "enabled")?.children?.[1];
  const edited =
    existing === undefined
      ? withNewProperty(text, server, `"enabled": ${enabled}`)
      : text.slice(0, existing.offset) + String(enabled) + text.slice(existing.offset + existing.length);
  const after = parseConfig(edited, { source: path });
  if (!after.ok) throw invalid(path, "would not validate after the edit", after.errors);
  await writeConfigFile(path, bom + edited);
  return after;
}
