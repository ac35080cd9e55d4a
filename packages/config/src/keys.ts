// Unknown keys are warnings, not errors: the key is ignored, and the message
// says what was probably meant (a typo, or a key that belongs one level up/down).
import { didYouMean, quote, shortPath, type ConfigIssueCode } from "./issues.ts";
import { ConfigSchema, DockerIsolationSchema, ServerIsolationSchema, ServerSchema } from "./schema.ts";

export type Segments = (string | number)[];

export interface RawIssue {
  /** Path in the file as written (object-map form keeps its keys). */
  segments: Segments;
  message: string;
  code: ConfigIssueCode;
}

const TOP_KEYS = [...Object.keys(ConfigSchema.shape), "$schema"];
const GLOBAL_ISOLATION_KEYS = Object.keys(DockerIsolationSchema.shape);
const SERVER_KEYS = Object.keys(ServerSchema.shape);
const SERVER_ISOLATION_KEYS = Object.keys(ServerIsolationSchema.shape);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Hint = (key: string, at: Segments) => string | undefined;

function topHint(key: string): string | undefined {
  if (GLOBAL_ISOLATION_KEYS.includes(key)) return `it belongs in "docker_isolation"`;
  if (key === "isolation") return `did you mean "docker_isolation"?`;
  if (key === "servers" || key === "mcp") return `did you mean "mcpServers"?`;
  return undefined;
}

function globalIsolationHint(key: string): string | undefined {
  if (SERVER_ISOLATION_KEYS.includes(key)) return `it is set per server, in mcpServers[].isolation.${key}`;
  return undefined;
}

function serverHint(key: string, at: Segments): string | undefined {
  if (SERVER_ISOLATION_KEYS.includes(key))
    return `it belongs in "isolation": ${shortPath([...at, "isolation", key])}`;
  if (key === "disabled") return `to turn the server off write "enabled": false`;
  if (key === "url") return `only stdio servers (command + args) are supported`;
  if (key === "type" || key === "transport") return `every server here is a stdio server; remove it`;
  return undefined;
}

function serverIsolationHint(key: string): string | undefined {
  if (key === "timeout") return `a per-server timeout is not supported; set docker_isolation.timeout`;
  if (GLOBAL_ISOLATION_KEYS.includes(key)) return `it is global only; set docker_isolation.${key}`;
  return undefined;
}

function checkKeys(object: unknown, known: string[], at: Segments, hint: Hint, out: RawIssue[]): void {
  if (!isPlainObject(object)) return;
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const guess = didYouMean(key, known);
    const advice = hint(key, at) ?? (guess === undefined ? undefined : `did you mean "${guess}"?`);
    const message = `unknown key ${quote(key)} is ignored${advice === undefined ? "" : `; ${advice}`}`;
    out.push({ segments: [...at, key], message, code: "UNKNOWN_KEY" });
  }
}

/**
 * Warnings for every key the schema does not know, at every level.
 * `servers` are the normalized server entries with `serverAt(i)` giving each one's path in the file.
 */
export function unknownKeyWarnings(
  top: Record<string, unknown>,
  servers: readonly unknown[],
  serverAt: (index: number) => Segments,
): RawIssue[] {
  const out: RawIssue[] = [];
  checkKeys(top, TOP_KEYS, [], topHint, out);
  checkKeys(top["docker_isolation"], GLOBAL_ISOLATION_KEYS, ["docker_isolation"], globalIsolationHint, out);
  servers.forEach((server, index) => {
    const at = serverAt(index);
    checkKeys(server, SERVER_KEYS, at, serverHint, out);
    if (isPlainObject(server)) {
      checkKeys(server["isolation"], SERVER_ISOLATION_KEYS, [...at, "isolation"], serverIsolationHint, out);
    }
  });
  return out;
}
