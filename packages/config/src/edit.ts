// Edits of the raw file text that keep the user's comments and formatting:
// adding the generated api_key, turning a server on or off, adding and removing one.
import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  type FormattingOptions,
  type Node,
} from "jsonc-parser";
import { editConfigFile } from "./edit-file.ts";
import { ConfigError } from "./errors.ts";
import type { ConfigOk } from "./issues.ts";
import type { McpProxyConfig } from "./types.ts";

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

/**
 * Set `enabled` of one server in the file, keeping comments and formatting, and write the file
 * atomically after checking that the result validates. Returns the new (or unchanged) config.
 * Concurrent calls (and other writers taking the lock) are serialized; see editConfigFile.
 * Throws ConfigError: CONFIG_NOT_FOUND, SERVER_NOT_FOUND, INVALID_CONFIG, READ_FAILED, WRITE_FAILED,
 * CONFIG_LOCKED, CONFIG_CHANGED.
 */
export function setServerEnabled(path: string, serverName: string, enabled: boolean): Promise<ConfigOk> {
  return editConfigFile(path, (text, config) => {
    const current = config.mcpServers.find((s) => s.name === serverName);
    const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const server = tree === undefined ? undefined : findServer(tree, serverName);
    if (server === undefined || current === undefined) throw serverNotFound(path, serverName, config);
    if (current.enabled === enabled) return undefined;
    const existing = lastProperty(server, "enabled")?.children?.[1];
    return existing === undefined
      ? withNewProperty(text, server, `"enabled": ${enabled}`)
      : text.slice(0, existing.offset) + String(enabled) + text.slice(existing.offset + existing.length);
  });
}

function serverNotFound(path: string, name: string, config: McpProxyConfig): ConfigError {
  const names = config.mcpServers.map((s) => `"${s.name}"`).join(", ") || "none";
  return new ConfigError("SERVER_NOT_FOUND", `no server named "${name}" in ${path} (servers: ${names})`, {
    file: path,
  });
}

/** A server entry as `addServer` writes it: `name` first, then only the fields given. */
export interface NewServer {
  name: string;
  command: string;
  args?: readonly string[] | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  enabled?: boolean | undefined;
  isolation?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Append a server to `mcpServers` (array or object-map form, whichever the file uses),
 * keeping comments and formatting; validated before writing, atomically, under the lock.
 * Throws ConfigError SERVER_EXISTS for a name already configured, INVALID_CONFIG naming the
 * field (e.g. `mcpServers[2].isolation.network_mode`), and editConfigFile's errors.
 */
export function addServer(path: string, server: NewServer): Promise<ConfigOk> {
  return editConfigFile(path, (text, config) => {
    if (config.mcpServers.some((s) => s.name === server.name)) {
      throw new ConfigError("SERVER_EXISTS", `a server named "${server.name}" is already in ${path}`, {
        file: path,
      });
    }
    const { name, ...fields } = server;
    const entry = { name, ...fields };
    const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const servers = tree === undefined ? undefined : findNodeAtLocation(tree, ["mcpServers"]);
    const options = { formattingOptions: formattingOf(text) };
    const edits =
      servers?.type === "object"
        ? modify(text, ["mcpServers", name], fields, options)
        : servers?.type === "array"
          ? modify(text, ["mcpServers", servers.children?.length ?? 0], entry, {
              ...options,
              isArrayInsertion: true,
            })
          : modify(text, ["mcpServers"], [entry], options);
    return applyEdits(text, edits);
  });
}

/** Remove a server from the file, keeping everything else. Throws SERVER_NOT_FOUND and editConfigFile's errors. */
export function removeServer(path: string, serverName: string): Promise<ConfigOk> {
  return editConfigFile(path, (text, config) => {
    const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const servers = tree === undefined ? undefined : findNodeAtLocation(tree, ["mcpServers"]);
    const node = tree === undefined ? undefined : findServer(tree, serverName);
    if (servers === undefined || node === undefined) throw serverNotFound(path, serverName, config);
    const location =
      servers.type === "array" ? (servers.children ?? []).indexOf(node) : (serverName as string | number);
    const edits = modify(text, ["mcpServers", location], undefined, {
      formattingOptions: formattingOf(text),
    });
    return applyEdits(text, edits);
  });
}
