// Validation of an already-parsed value: normalize the object-map form of
// mcpServers, run the zod schema, turn every zod issue into a message with a
// fix, add cross-field errors and the warnings. All problems at once.
import type { z } from "zod";
import { isContainerRuntimeCommand } from "./command.ts";
import { DEFAULT_IMAGES } from "./defaults.ts";
import { enumProblem, envKeyProblem, networkTypo, riskyExtraArg, sharedNetworkRisk } from "./formats.ts";
import {
  clip,
  describeValue,
  formatPath,
  quote,
  shortPath,
  type ConfigIssue,
  type ConfigResult,
} from "./issues.ts";
import { isPlainObject, unknownKeyWarnings, type RawIssue, type Segments } from "./keys.ts";
import { ConfigSchema } from "./schema.ts";
import type { McpProxyConfig } from "./types.ts";

export interface ValidateOptions {
  /** File or other name the value came from; echoed in the result. */
  source?: string | undefined;
}

export interface RawValidation {
  config: McpProxyConfig | undefined;
  errors: RawIssue[];
  warnings: RawIssue[];
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  number: "a number",
  int: "a whole number",
  array: "an array",
  object: "an object",
  record: "an object",
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isPlainObject(value) && typeof segment === "string") value = value[segment];
    else return undefined;
  }
  return value;
}

function typeFix(expected: string, value: unknown): string {
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return `; write it in quotes: ${quote(String(value))}`;
  }
  if (expected === "boolean" && (value === "true" || value === "false"))
    return `; remove the quotes: ${value}`;
  if ((expected === "number" || expected === "int") && typeof value === "string" && /^\d+$/.test(value)) {
    return `; remove the quotes: ${clip(value)}`;
  }
  if (expected === "array" && typeof value === "string") {
    const items = value.trim() === "" ? [] : value.trim().split(/\s+/);
    return `; write ${clip(JSON.stringify(items).replaceAll('","', '", "'))}`;
  }
  return "";
}

function missingMessage(segments: readonly PropertyKey[], parent: unknown): string {
  const key = segments[segments.length - 1];
  if (key === "name") return `missing; every server needs a "name", e.g. "github"`;
  if (key === "command") {
    if (isPlainObject(parent) && "url" in parent) {
      return `missing; only stdio servers (command + args) are supported, not "url" servers`;
    }
    return `missing; every server needs a "command", e.g. "npx" or "uvx"`;
  }
  return "missing";
}

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): Omit<RawIssue, "segments"> {
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "custom": {
      const code = (issue.params as { code?: RawIssue["code"] } | undefined)?.code ?? "INVALID_TYPE";
      return { code, message: issue.message };
    }
    case "invalid_type": {
      if (value === undefined) {
        return {
          code: "MISSING_FIELD",
          message: missingMessage(issue.path, valueAt(input, issue.path.slice(0, -1))),
        };
      }
      if (issue.path.length === 1 && issue.path[0] === "mcpServers") {
        const message = `expected an array of servers (or an object of servers by name), got ${describeValue(value)}`;
        return { code: "INVALID_TYPE", message };
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const message = `expected ${expected}, got ${describeValue(value)}${typeFix(issue.expected, value)}`;
      return { code: "INVALID_TYPE", message };
    }
    case "invalid_value": {
      const allowed = issue.values.map(String);
      if (typeof value === "string") return { code: "INVALID_ENUM", message: enumProblem(value, allowed) };
      return {
        code: "INVALID_TYPE",
        message: `expected one of ${allowed.join(", ")}, got ${describeValue(value)}`,
      };
    }
    case "invalid_key": {
      const key = issue.path[issue.path.length - 1];
      return { code: "INVALID_ENV_KEY", message: envKeyProblem(String(key)) ?? issue.message };
    }
    default:
      return { code: "INVALID_TYPE", message: issue.message };
  }
}

interface Normalized {
  input: Record<string, unknown>;
  servers: unknown[];
  serverAt: (index: number) => Segments;
  /** Maps a path in the normalized value to the path in the file. */
  toFile: (path: readonly PropertyKey[]) => Segments;
  errors: RawIssue[];
}

function normalize(value: Record<string, unknown>): Normalized {
  const input: Record<string, unknown> = { ...value };
  delete input["$schema"];
  const errors: RawIssue[] = [];
  const raw = input["mcpServers"];
  const asSegments = (path: readonly PropertyKey[]): Segments =>
    path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  if (!isPlainObject(raw)) {
    const servers = Array.isArray(raw) ? (raw as unknown[]) : [];
    return { input, servers, serverAt: (i) => ["mcpServers", i], toFile: asSegments, errors };
  }
  // Object-map form: { "github": { "command": ... } } → [{ "name": "github", ... }]
  const keys = Object.keys(raw);
  const namedByKey = keys.map((key) => !isPlainObject(raw[key]) || raw[key]["name"] === undefined);
  const servers = keys.map((key) => {
    const entry = raw[key];
    if (!isPlainObject(entry)) return entry;
    if (entry["name"] !== undefined && entry["name"] !== key) {
      errors.push({
        segments: ["mcpServers", key, "name"],
        code: "SERVER_NAME_MISMATCH",
        message: `${describeValue(entry["name"])} differs from its key ${quote(key)}; remove "name" or make them equal`,
      });
    }
    return { ...entry, name: key };
  });
  input["mcpServers"] = servers;
  const toFile = (path: readonly PropertyKey[]): Segments => {
    const [first, index, ...rest] = path;
    if (first !== "mcpServers" || typeof index !== "number") return asSegments(path);
    const key = keys[index] ?? String(index);
    if (rest[0] === "name" && namedByKey[index] === true) return ["mcpServers", key];
    return ["mcpServers", key, ...asSegments(rest)];
  };
  return { input, servers, serverAt: (i) => ["mcpServers", keys[i] ?? i], toFile, errors };
}

function crossChecks(normalized: Normalized): { errors: RawIssue[]; warnings: RawIssue[] } {
  const { input, servers, serverAt, toFile } = normalized;
  const errors: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  const seen = new Map<string, number>();
  const checkNetwork = (value: unknown, segments: Segments): void => {
    const risk = typeof value === "string" ? sharedNetworkRisk(value) : undefined;
    if (risk !== undefined) {
      const message = `${describeValue(value)} gives the server ${risk}; use "none" or "bridge" unless it needs this`;
      warnings.push({ segments, code: "SHARED_NETWORK", message });
      return;
    }
    const guess = typeof value === "string" ? networkTypo(value) : undefined;
    if (guess === undefined) return;
    const message = `${describeValue(value)} is not a built-in mode, so Docker will look for a network of that name; did you mean "${guess}"?`;
    warnings.push({ segments, code: "NETWORK_NAME_TYPO", message });
  };
  const checkExtraArgs = (value: unknown, segments: Segments): void => {
    if (!Array.isArray(value)) return;
    value.forEach((arg, i) => {
      const message = typeof arg === "string" ? riskyExtraArg(arg) : undefined;
      if (message !== undefined)
        warnings.push({ segments: [...segments, i], code: "RISKY_EXTRA_ARG", message });
    });
  };
  const global = input["docker_isolation"];
  if (isPlainObject(global)) {
    checkNetwork(global["network_mode"], ["docker_isolation", "network_mode"]);
    checkExtraArgs(global["extra_args"], ["docker_isolation", "extra_args"]);
  }
  servers.forEach((server, index) => {
    if (!isPlainObject(server)) return;
    const at = serverAt(index);
    const name = server["name"];
    if (typeof name === "string") {
      const first = seen.get(name.toLowerCase());
      if (first === undefined) seen.set(name.toLowerCase(), index);
      else {
        errors.push({
          segments: toFile(["mcpServers", index, "name"]),
          code: "DUPLICATE_SERVER_NAME",
          message: `${quote(name)} is already the name of ${shortPath(serverAt(first))}; server names must be unique (ignoring case)`,
        });
      }
    }
    const isolation = server["isolation"];
    if (!isPlainObject(isolation)) return;
    checkNetwork(isolation["network_mode"], [...at, "isolation", "network_mode"]);
    checkExtraArgs(isolation["extra_args"], [...at, "isolation", "extra_args"]);
    const command = server["command"];
    if (isolation["enabled"] === true && typeof command === "string" && isContainerRuntimeCommand(command)) {
      warnings.push({
        segments: [...at, "isolation", "enabled"],
        code: "ISOLATION_NOT_APPLIED",
        message: `${quote(command)} runs containers itself, so this server is never isolated (Docker-in-Docker prevention); remove "enabled": true or set it to false`,
      });
    }
  });
  return { errors, warnings };
}

/** Validation with paths as segments in the file's own shape (used by parseConfig to add positions). */
export function validateRaw(value: unknown): RawValidation {
  if (!isPlainObject(value)) {
    const message = `the config must be a JSON object such as {"mcpServers": []}, got ${describeValue(value)}`;
    return { config: undefined, errors: [{ segments: [], code: "NOT_AN_OBJECT", message }], warnings: [] };
  }
  const normalized = normalize(value);
  const parsed = ConfigSchema.safeParse(normalized.input);
  const errors = [...normalized.errors];
  for (const issue of parsed.error?.issues ?? []) {
    errors.push({ segments: normalized.toFile(issue.path), ...fromZodIssue(issue, normalized.input) });
  }
  const cross = crossChecks(normalized);
  errors.push(...cross.errors);
  const warnings = [
    ...unknownKeyWarnings(normalized.input, normalized.servers, normalized.serverAt),
    ...cross.warnings,
  ];
  if (!parsed.success || errors.length > 0) return { config: undefined, errors, warnings };
  const config: McpProxyConfig = parsed.data;
  config.docker_isolation.default_images = { ...DEFAULT_IMAGES, ...config.docker_isolation.default_images };
  return { config, errors, warnings };
}

export function toConfigIssue(issue: RawIssue): ConfigIssue {
  return { path: formatPath(issue.segments), message: issue.message, code: issue.code };
}

/** Validate a parsed JSON value (e.g. from JSON.parse). Never throws for bad input. */
export function validateConfig(value: unknown, options: ValidateOptions = {}): ConfigResult {
  const source = options.source;
  let raw: RawValidation;
  try {
    raw = validateRaw(value);
  } catch (error) {
    // A stack overflow on a hostile, deeply nested value: report it, never throw it.
    if (!(error instanceof RangeError)) throw error;
    const message = "the value is nested too deeply to validate; a config is at most a few levels deep";
    return { ok: false, errors: [{ path: "", code: "SYNTAX_ERROR", message }], warnings: [], source };
  }
  const { config, errors, warnings } = raw;
  if (config === undefined) {
    return { ok: false, errors: errors.map(toConfigIssue), warnings: warnings.map(toConfigIssue), source };
  }
  return { ok: true, config, warnings: warnings.map(toConfigIssue), source };
}
