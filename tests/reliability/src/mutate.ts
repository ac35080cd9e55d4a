// Seeded random mutations of a valid config: wrong types, unicode, huge values,
// injection strings in names/args/env/extra_args, unknown and prototype keys,
// deep nesting, and broken text. mutateConfig(base, seed) is deterministic, so
// a failing case is replayed from its seed alone.
import { integer, pick, seededRandom, type Random } from "./random.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export interface Mutant {
  seed: number;
  /** What was done, for the failure message. */
  steps: string[];
  /** The file content: text, or raw bytes (invalid UTF-8 included). */
  content: string | Buffer;
}

/** Strings that would do harm if anything passed them to a shell; each one touches `canary`. */
export function injectionStrings(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `&& touch ${canary}`,
    `| touch ${canary}`,
    `\ntouch ${canary}\n`,
    `' ; touch ${canary} ; '`,
    `" ; touch ${canary} ; "`,
    "--privileged",
    "--network=host",
    "--pid=host",
    "--cap-add=ALL",
    "-v=/:/host",
    "--volume=/var/run/docker.sock:/var/run/docker.sock",
    "--security-opt=seccomp=unconfined",
    "--entrypoint=/bin/sh",
    "-e=LD_PRELOAD=/tmp/evil.so",
    "../../../../etc/passwd",
    "${HOME}",
    "%s%s%s%n",
    "{{.Config.Env}}",
  ];
}

const UNICODE = [
  "\u202eevil\u202c",
  "zero\u200bwidth\u200d",
  "😀🚀🔥",
  "e\u0301\u0301\u0301",
  "\ud800",
  "\udfff\ud800",
  "nul\u0000byte",
  "line\nbreak\r\n",
  "\u2028\u2029",
  "\ufeffbom",
  "ǅǈǋ İı ß ﬃ",
  "\u001b[31mred\u001b[0m",
  "",
  " ",
];

const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "💥",
  "a".repeat(10_000),
];

/** Paths the issue calls out: names, args, env and extra_args get half of the mutations. */
const FOCUS: Path[] = [
  ["mcpServers", 0, "name"],
  ["mcpServers", 1, "name"],
  ["mcpServers", 0, "args"],
  ["mcpServers", 1, "args", 0],
  ["mcpServers", 0, "env"],
  ["mcpServers", 1, "env", "FIXTURE_MODE"],
  ["mcpServers", 0, "isolation", "extra_args"],
  ["docker_isolation", "extra_args"],
  ["docker_isolation", "default_images"],
  ["mcpServers", 0, "command"],
  ["mcpServers", 0, "isolation", "image"],
  ["mcpServers", 0, "isolation", "volumes"],
];

function hugeValue(random: Random): Json {
  switch (integer(random, 0, 5)) {
    case 0:
      return "a".repeat(integer(random, 100_000, 2_000_000));
    case 1:
      return "😀".repeat(integer(random, 10_000, 200_000));
    case 2:
      return Array.from({ length: integer(random, 1_000, 20_000) }, (_, i) => `arg${i}`);
    case 3:
      return Object.fromEntries(
        Array.from({ length: integer(random, 1_000, 10_000) }, (_, i) => [`K${i}`, `v${i}`]),
      );
    case 4:
      return pick(random, [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, -0, 5e-324]);
    default:
      return { deep: "x".repeat(integer(random, 10_000, 100_000)) };
  }
}

function randomValue(random: Random, injections: string[]): Json {
  switch (integer(random, 0, 9)) {
    case 0:
      return pick(
        random,
        [0, -1, 1, 1.5, 65536, 99999999, NaN, Infinity].map((n) => (Number.isFinite(n) ? n : null)),
      );
    case 1:
      return random() < 0.5;
    case 2:
      return null;
    case 3:
      return [];
    case 4:
      return {};
    case 5:
    case 6:
      return pick(random, injections);
    case 7:
      return pick(random, UNICODE);
    case 8:
      return hugeValue(random);
    default:
      return [pick(random, injections), pick(random, UNICODE)];
  }
}

// Deep nesting is spliced into the text after JSON.stringify (which would itself
// overflow the stack on it): the tree holds a marker string in its place.
const NEST_MARKER = /"\\u0000nest:(\d+):(array|object)\\u0000"/g;

function nestMarker(depth: number, asObject: boolean): string {
  return `\u0000nest:${depth}:${asObject ? "object" : "array"}\u0000`;
}

function expandNesting(text: string): string {
  return text.replace(NEST_MARKER, (_whole, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === "object"
      ? `${'{"a":'.repeat(n)}null${"}".repeat(n)}`
      : `${"[".repeat(n)}null${"]".repeat(n)}`;
  });
}

function allPaths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== "object") return out;
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i): [number, Json] => [i, v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const path = [...prefix, key];
    out.push(path);
    allPaths(child, path, out);
  }
  return out;
}

function parentOf(
  root: Json,
  path: Path,
): { parent: Json[] | Record<string, Json>; key: string | number } | undefined {
  let node: Json = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? (node[Number(key)] ?? null) : (node[String(key)] ?? null);
  }
  const key = path[path.length - 1];
  if (node === null || typeof node !== "object" || key === undefined) return undefined;
  return { parent: node, key };
}

function setAt(root: Json, path: Path, value: Json | undefined): boolean {
  const found = parentOf(root, path);
  if (found === undefined) return false;
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (value === undefined) parent.splice(index, 1);
    else parent[Math.min(index, parent.length)] = value;
  } else if (value === undefined) {
    delete parent[String(key)];
  } else {
    // defineProperty: "__proto__" becomes a plain own key, as JSON.parse would make it.
    Object.defineProperty(parent, String(key), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return true;
}

function getAt(root: Json, path: Path): Json | undefined {
  const found = parentOf(root, path);
  if (found === undefined) return undefined;
  const { parent, key } = found;
  return Array.isArray(parent) ? parent[Number(key)] : parent[String(key)];
}

function mutateTree(root: Json, random: Random, injections: string[], steps: string[]): void {
  const paths = allPaths(root);
  const path = random() < 0.5 ? pick(random, FOCUS) : pick(random, paths);
  const where = path.join(".");
  const current = getAt(root, path);
  switch (integer(random, 0, 7)) {
    case 0:
      steps.push(`delete ${where}`);
      setAt(root, path, undefined);
      return;
    case 1: {
      const key = random() < 0.5 ? pick(random, KEYS) : pick(random, injections);
      const target = getAt(root, path.slice(0, -1)) ?? root;
      steps.push(`add key ${JSON.stringify(key.slice(0, 30))} under ${path.slice(0, -1).join(".")}`);
      if (target !== null && typeof target === "object" && !Array.isArray(target)) {
        Object.defineProperty(target, key, {
          value: randomValue(random, injections),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return;
    }
    case 2:
      steps.push(`nest ${where} deeply`);
      setAt(root, path, nestMarker(integer(random, 50, 100_000), random() < 0.5));
      return;
    case 3:
      steps.push(`wrap ${where} in ${Array.isArray(current) ? "an object" : "an array"}`);
      setAt(root, path, Array.isArray(current) ? { value: current } : [current ?? null]);
      return;
    case 4:
      steps.push(`huge value at ${where}`);
      setAt(root, path, hugeValue(random));
      return;
    case 5:
      if (Array.isArray(current)) {
        steps.push(`injection strings appended to ${where}`);
        current.push(pick(random, injections), pick(random, injections));
        return;
      }
      steps.push(`injection string at ${where}`);
      setAt(root, path, pick(random, injections));
      return;
    case 6:
      steps.push(`unicode at ${where}`);
      setAt(
        root,
        path,
        typeof current === "string" ? `${current}${pick(random, UNICODE)}` : pick(random, UNICODE),
      );
      return;
    default:
      steps.push(`random value at ${where}`);
      setAt(root, path, randomValue(random, injections));
  }
}

function mutateText(text: string, random: Random, steps: string[]): string | Buffer {
  switch (integer(random, 0, 6)) {
    case 0: {
      const at = integer(random, 0, text.length);
      steps.push(`truncate text at ${at}`);
      return text.slice(0, at);
    }
    case 1: {
      const at = integer(random, 0, text.length);
      const junk = pick(random, ["{", "}", '"', ",", "]", "\\", "\u0000", "/*", "//", "NaN", "undefined"]);
      steps.push(`insert ${JSON.stringify(junk)} at ${at}`);
      return `${text.slice(0, at)}${junk}${text.slice(at)}`;
    }
    case 2:
      steps.push("invalid UTF-8 bytes");
      return Buffer.concat([
        Buffer.from(text.slice(0, text.length >> 1)),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(text.slice(text.length >> 1)),
      ]);
    case 3:
      steps.push("BOM and comments");
      return `\ufeff// comment\n/* block */${text.replace(/,\n/, ", // trailing\n")}`;
    case 4:
      steps.push("duplicated keys in text");
      return text.replace(
        /\{\n(\s*)"/,
        (whole: string, indent: string) =>
          `{\n${indent}"listen": 42,\n${indent}"listen": "x",\n${whole.slice(2)}`,
      );
    case 5:
      steps.push("a top-level array instead of an object");
      return `[${text}]`;
    default:
      steps.push("trailing garbage");
      return `${text}\n}}}garbage`;
  }
}

/** One deterministic mutant of `base`. */
export function mutateConfig(base: Json, seed: number, canary: string): Mutant {
  const random = seededRandom(seed);
  const injections = injectionStrings(canary);
  const tree = structuredClone(base);
  const steps: string[] = [];
  const count = integer(random, 1, 4);
  for (let i = 0; i < count; i++) mutateTree(tree, random, injections, steps);
  const text = expandNesting(JSON.stringify(tree, null, 2));
  const content = random() < 0.15 ? mutateText(text, random, steps) : text;
  return { seed, steps, content };
}
