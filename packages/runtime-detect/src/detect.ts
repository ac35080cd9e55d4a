// command → runtime (+ the image the built-in table or the user's default_images gives it).
import { commandBaseName } from "@mcpproxy/config";
import { COMMAND_ALIASES, COMMAND_RUNTIMES, RUNTIME_DEFAULT_IMAGES, type RuntimeName } from "./runtimes.ts";

/**
 * How the command was recognised:
 * - `exact`: its name is a table key (`python3`, `npx`, `bun`, `sh`, ...);
 * - `versioned`: a table key or alias followed by a version (`python3.12`, `node22`, `pip3`, `go1.21.0`);
 * - `alias`: another spelling of a table key (`py`, `pythonw`, `uv`, `nodejs`, `yarnpkg`);
 * - `fallback`: not recognised; treated as the `binary` runtime.
 */
export type MatchedBy = "exact" | "versioned" | "alias" | "fallback";

/** Where a detected image came from (before the server's own `isolation.image` is considered). */
export type DetectedImageSource = "default_images" | "runtime-default" | "binary";

export interface DetectedRuntime {
  runtime: RuntimeName;
  /** The image for this command, not yet qualified with a registry. */
  image: string;
  matchedBy: MatchedBy;
  /** The bare command name: `/usr/bin/Python3.EXE` → `python3`. */
  commandName: string;
  /** The table key the command resolved to: `python3.12` → `python3`, `py` → `python`, unknown → `binary`. */
  key: string;
  /** `default_images` when the user's map supplied the image, else the built-in runtime default. */
  imageSource: DetectedImageSource;
}

// "3", "3.12", "-22", "_1.75", ".12": what may follow a known name to make a versioned one.
const VERSION_SUFFIX = /^[-_.]?\d+(?:\.\d+)*$/;

const KNOWN_NAMES: readonly string[] = [
  ...Object.keys(COMMAND_RUNTIMES),
  ...Object.keys(COMMAND_ALIASES),
].sort((a, b) => b.length - a.length);

function tableKey(name: string): string | undefined {
  if (Object.hasOwn(COMMAND_RUNTIMES, name)) return name;
  if (Object.hasOwn(COMMAND_ALIASES, name)) return COMMAND_ALIASES[name];
  return undefined;
}

interface Classified {
  runtime: RuntimeName;
  matchedBy: MatchedBy;
  key: string;
}

function classify(name: string): Classified {
  if (Object.hasOwn(COMMAND_RUNTIMES, name)) {
    return { runtime: COMMAND_RUNTIMES[name] ?? "binary", matchedBy: "exact", key: name };
  }
  const alias = Object.hasOwn(COMMAND_ALIASES, name) ? COMMAND_ALIASES[name] : undefined;
  if (alias !== undefined) {
    return { runtime: COMMAND_RUNTIMES[alias] ?? "binary", matchedBy: "alias", key: alias };
  }
  // Longest known name first, so `python3.12` is python3 + ".12", not python + "3.12".
  for (const known of KNOWN_NAMES) {
    if (
      name.length > known.length &&
      name.startsWith(known) &&
      VERSION_SUFFIX.test(name.slice(known.length))
    ) {
      const key = tableKey(known) ?? "binary";
      return { runtime: COMMAND_RUNTIMES[key] ?? "binary", matchedBy: "versioned", key };
    }
  }
  return { runtime: "binary", matchedBy: "fallback", key: "binary" };
}

/** `map[key]` when it is an own, non-empty string entry (never an inherited `constructor` & co). */
export function lookupImage(
  map: Readonly<Record<string, string>> | undefined,
  key: string,
): string | undefined {
  if (map === undefined || !Object.hasOwn(map, key)) return undefined;
  const value: unknown = map[key];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Detects the runtime of a server command and picks its image.
 *
 * The image is `defaultImages[commandName]`, else `defaultImages[key]`, else the
 * runtime's built-in default; for the `binary` runtime the last two steps are
 * `defaultImages.binary`, else `alpine:3.18`. No registry is applied here (see
 * `resolveImage`).
 */
export function detectRuntime(
  command: string,
  defaultImages?: Readonly<Record<string, string>>,
): DetectedRuntime {
  const commandName = commandBaseName(command);
  const { runtime, matchedBy, key } = classify(commandName);
  const base = { runtime, matchedBy, commandName, key };

  // "binary" is looked up last, as the binary runtime's default, never as a command's own entry.
  for (const name of new Set([commandName, key])) {
    if (name === "binary") continue;
    const image = lookupImage(defaultImages, name);
    if (image !== undefined) return { ...base, image, imageSource: "default_images" };
  }
  if (runtime === "binary") {
    return {
      ...base,
      image: lookupImage(defaultImages, "binary") ?? RUNTIME_DEFAULT_IMAGES.binary,
      imageSource: "binary",
    };
  }
  return { ...base, image: RUNTIME_DEFAULT_IMAGES[runtime], imageSource: "runtime-default" };
}
