// Names of upstream tools as MCP clients see them: "<server>:<tool>" for
// call_tool in retrieve mode, "<server>__<tool>" in direct mode (kept within
// ^[a-zA-Z0-9_-]{1,64}$, unique, stable across refreshes).
import { createHash } from "node:crypto";

export const DIRECT_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX = 64;

/** Splits "server:tool" at the first colon (server names have none). */
export function parseQualifiedName(name: string): { server: string; tool: string } | undefined {
  const at = name.indexOf(":");
  if (at <= 0 || at === name.length - 1) return undefined;
  return { server: name.slice(0, at), tool: name.slice(at + 1) };
}

function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, "_");
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * `<server>__<tool>` with characters outside [a-zA-Z0-9_-] replaced by "_". A
 * name that would pass 64 characters, or that changed while sanitizing, keeps
 * as much as fits and ends in a hash of the exact server and tool names, so
 * two distinct tools never share a name.
 */
export function directToolName(server: string, tool: string): string {
  const plain = `${server}__${tool}`;
  const clean = `${sanitize(server)}__${sanitize(tool)}`;
  if (clean === plain && clean.length <= MAX) return clean;
  const suffix = `_${shortHash(`${server}\0${tool}`)}`;
  return `${clean.slice(0, MAX - suffix.length)}${suffix}`;
}
