// Values in Docker's own formats: each `xxxProblem` returns undefined when the
// text is valid, else one sentence saying what is wrong and how to write it.
// The grammar itself is @mcpproxy/docker-grammar's; this file only words the
// problems for a config author. parseMemory/parseDuration turn valid text into numbers.
import {
  BUILTIN_NETWORK_MODES,
  DOCKER_MIN_MEMORY_BYTES,
  isCapability,
  isCpusNumber,
  isDockerObjectName,
  isHostPath,
  isRegistryHost,
  isRepositoryComponent,
  isUser,
  memoryBytes,
  nanoCpus,
  parseVolumeSpec,
  readImageReference,
  volumeModeOptions,
} from "@mcpproxy/docker-grammar";
import { ConfigError } from "./errors.ts";
import { didYouMean, quote, quotedList } from "./issues.ts";

const MEMORY_EXAMPLE = `use e.g. "512m" or "1g"`;

export function memoryProblem(text: string): string | undefined {
  const shown = quote(text);
  if (text.trim() === "") return `is empty; ${MEMORY_EXAMPLE}`;
  if (text.trim() !== text) return `${shown} has spaces around it; write ${quote(text.trim())}`;
  if (text.startsWith("-")) return `${shown} is negative; ${MEMORY_EXAMPLE}`;
  const bytes = memoryBytes(text);
  if (bytes === undefined) {
    const unit = /^\d+(?:\.\d+)? ?([a-z]+)$/i.exec(text)?.[1];
    if (unit !== undefined)
      return `${shown} has an unknown unit ${quote(unit)}; use b, k, m or g, e.g. "512m"`;
    if (text.includes(",")) return `${shown} is not a size; use a dot for decimals, e.g. "1.5g"`;
    return `${shown} is not a memory size; ${MEMORY_EXAMPLE}`;
  }
  if (bytes < DOCKER_MIN_MEMORY_BYTES) {
    // A bare number is bytes to Docker; "512" almost always means 512 MB.
    if (/^\d+(?:\.\d+)?$/.test(text)) return `${shown} has no unit; ${MEMORY_EXAMPLE}`;
    return `${shown} is below Docker's minimum of 6m; ${MEMORY_EXAMPLE}`;
  }
  return undefined;
}

/** Bytes of a Docker memory size: "512m" → 536870912, "1g", "1.5g", "512mb", or plain bytes. */
export function parseMemory(text: string): number {
  const bytes = memoryProblem(text) === undefined ? memoryBytes(text) : undefined;
  if (bytes === undefined) throw new ConfigError("INVALID_VALUE", `memory ${quote(text)} is invalid`);
  return bytes;
}

export function cpuProblem(text: string): string | undefined {
  const shown = quote(text);
  if (text.trim() === "") return `is empty; use a number of CPUs such as "1.0" or "0.5"`;
  if (text.endsWith("%")) return `${shown} is a percentage; use a number of CPUs such as "0.5" or "2.0"`;
  if (/^\d+,\d+$/.test(text)) return `${shown} uses a comma; write ${quote(text.replace(",", "."))}`;
  if (!isCpusNumber(text)) return `${shown} is not a number of CPUs; use a decimal such as "1.0" or "0.5"`;
  if (Number(text) <= 0) return `${shown} must be greater than 0, e.g. "0.5" or "1.0"`;
  if (nanoCpus(text) === undefined) return `${shown} is too precise; Docker takes at most 9 decimals`;
  return undefined;
}

const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_EXAMPLE = `use e.g. "30s", "500ms" or "1m30s"`;

function durationMs(text: string): number | string {
  const token = /(\d+(?:\.\d*)?|\.\d+)([a-zµμ]*)/iy;
  let total = 0;
  while (token.lastIndex < text.length) {
    const match = token.exec(text);
    if (!match) return `${quote(text)} is not a duration; ${DURATION_EXAMPLE}`;
    const unit = match[2] ?? "";
    const scale = DURATION_UNIT_MS[unit];
    if (scale === undefined) {
      if (unit === "") return `${quote(text)} has no unit; ${DURATION_EXAMPLE}`;
      if (DURATION_UNIT_MS[unit.toLowerCase()] !== undefined) {
        return `${quote(text)}: units are lower-case; write ${quote(text.toLowerCase())}`;
      }
      return `${quote(text)} has an unknown unit ${quote(unit)}; use ms, s, m or h, e.g. "30s"`;
    }
    total += Number(match[1]) * scale;
  }
  return total;
}

export function durationProblem(text: string): string | undefined {
  const shown = quote(text);
  if (text.trim() === "") return `is empty; ${DURATION_EXAMPLE}`;
  if (/\s/.test(text)) return `${shown} contains spaces; write ${quote(text.replace(/\s+/g, ""))}`;
  if (text.startsWith("-")) return `${shown} is negative; ${DURATION_EXAMPLE}`;
  const ms = durationMs(text.startsWith("+") ? text.slice(1) : text);
  if (typeof ms === "string") return ms;
  if (ms <= 0) return `${shown} must be longer than 0; ${DURATION_EXAMPLE}`;
  return undefined;
}

/** Milliseconds of a Go-style duration: "30s" → 30000, "500ms", "1m30s", "1.5h". */
export function parseDuration(text: string): number {
  const ms = durationProblem(text) === undefined ? durationMs(text.replace(/^\+/, "")) : undefined;
  if (typeof ms !== "number") throw new ConfigError("INVALID_VALUE", `duration ${quote(text)} is invalid`);
  return ms;
}

export { BUILTIN_NETWORK_MODES };

export function networkProblem(text: string): string | undefined {
  const shown = quote(text);
  if (text === "") return `is empty; use "bridge", "host", "none", "container:NAME" or a network name`;
  if (text.startsWith("container:")) {
    const target = text.slice("container:".length);
    if (target === "") return `${shown} needs a container name or id, e.g. "container:my-db"`;
    if (!isDockerObjectName(target)) return `${shown}: ${quote(target)} is not a valid container name or id`;
    return undefined;
  }
  if (!isDockerObjectName(text)) {
    return `${shown} is not a network mode; use "bridge", "host", "none", "container:NAME" or the name of a network made with "docker network create"`;
  }
  return undefined;
}

/**
 * Why a network mode shares a network stack the container should not have (the one rule
 * for `network_mode` and `--network` in extra_args): "host" puts the server on the host's
 * loopback, next to this proxy and every local service; "container:NAME" joins another
 * container's namespace. Undefined for every other mode.
 */
export function sharedNetworkRisk(mode: string): string | undefined {
  if (mode === "host") {
    return "the host's network stack: the server reaches every local service, this proxy's loopback port included";
  }
  if (mode.startsWith("container:")) {
    return `the network namespace of container ${quote(mode.slice("container:".length))}: the server sees and reaches what it does`;
  }
  return undefined;
}

/** For a valid network that is no built-in mode but looks like a misspelt one ("brige", "Host"). */
export function networkTypo(text: string): string | undefined {
  if (BUILTIN_NETWORK_MODES.includes(text) || text.startsWith("container:")) return undefined;
  return didYouMean(text, BUILTIN_NETWORK_MODES);
}

const VOLUME_MODES = new Set(["ro", "rw", "z", "Z"]);
const VOLUME_EXAMPLE = `"/host/path:/container/path:ro"`;

export function volumeProblem(text: string): string | undefined {
  const shown = quote(text);
  const spec = parseVolumeSpec(text);
  const host = spec.source ?? text;
  const container = spec.target;
  if (spec.source === undefined || container === undefined) {
    return `${shown} needs a container path; write it as ${VOLUME_EXAMPLE}`;
  }
  if (spec.extra.length > 0) return `${shown} has too many ":"; write it as ${VOLUME_EXAMPLE}`;
  if (host.startsWith("~")) {
    return `host path ${quote(host)} must be absolute ("~" is not expanded); write it as ${VOLUME_EXAMPLE}`;
  }
  if (!isHostPath(host)) {
    return `host path ${quote(host)} must be absolute (named volumes are not supported); write it as ${VOLUME_EXAMPLE}`;
  }
  if (!container.startsWith("/")) {
    return `container path ${quote(container)} must be absolute, e.g. ${quote(`/${container.replace(/^\.?\/*/, "")}`)}`;
  }
  if (spec.mode !== undefined) {
    const options = volumeModeOptions(spec);
    const bad =
      options.find((option) => !VOLUME_MODES.has(option)) ?? (options.length === 0 ? "" : undefined);
    if (bad !== undefined) return `${shown} has an unknown mode ${quote(bad)}; use "ro" (read-only) or "rw"`;
    if (options.includes("ro") && options.includes("rw")) return `${shown} is both "ro" and "rw"; choose one`;
  }
  return undefined;
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envKeyProblem(key: string): string | undefined {
  if (ENV_KEY.test(key)) return undefined;
  const suggestion = key.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(?=\d)/, "_");
  const hint = ENV_KEY.test(suggestion) ? `, e.g. ${quote(suggestion)}` : "";
  return `${quote(key)} is not a valid environment variable name; use letters, digits and "_", not starting with a digit${hint}`;
}

const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function serverNameProblem(name: string): string | undefined {
  if (SERVER_NAME.test(name)) return undefined;
  if (name === "") return `is empty; give the server a name such as "github"`;
  if (name.length > 64) return `${quote(name.slice(0, 20))}... is longer than 64 characters`;
  const suggestion = name
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "");
  const hint = SERVER_NAME.test(suggestion) ? `, e.g. ${quote(suggestion)}` : "";
  return `${quote(name)} is not a safe name (it names the container and the log file); use letters, digits, "-", "_" and ".", starting with a letter or digit${hint}`;
}

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function listenProblem(text: string): string | undefined {
  const shown = quote(text);
  const withoutScheme = text.replace(/^[a-z]+:\/\//i, "").replace(/\/$/, "");
  if (withoutScheme !== text && LISTEN.test(withoutScheme)) {
    return `${shown} is a URL; write only host:port, ${quote(withoutScheme)}`;
  }
  if (/^\d+$/.test(text)) return `${shown} needs a host; use "127.0.0.1:${text}"`;
  if (/^:\d+$/.test(text)) {
    return `${shown} needs a host; use "127.0.0.1${text}" (or "0.0.0.0${text}" to listen on every interface)`;
  }
  const match = LISTEN.exec(text);
  if (!match) return `${shown} is not host:port; use e.g. "127.0.0.1:8080"`;
  const port = Number(match[2]);
  // Port 0 asks the OS for a free port; the proxy reports the one it got.
  if (port > 65535) return `${shown}: port ${port} is out of range; use 1-65535 (or 0 for any free port)`;
  return undefined;
}

export function registryProblem(text: string): string | undefined {
  if (isRegistryHost(text)) return undefined;
  const bare = text.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  const hint = isRegistryHost(bare) ? `write ${quote(bare)}` : `use a host[:port] such as "docker.io"`;
  return `${quote(text)} is not a registry host; ${hint}`;
}

/** A Docker image reference: [registry/]repo[/more][:tag][@digest]. */
export function imageProblem(text: string): string | undefined {
  const shown = quote(text);
  if (text.trim() === "") return `is empty; use an image such as "python:3.11"`;
  if (/\s/.test(text)) return `${shown} contains spaces; an image looks like "python:3.11"`;
  const read = readImageReference(text);
  if (!("problem" in read)) return undefined;
  if (read.part === "digest") return `${shown} has an invalid digest; write it as "@sha256:<hex>"`;
  if (read.part === "tag") return `${shown} has an invalid tag ${quote(read.text)}`;
  if (read.part === "domain") return `${shown} has an invalid registry ${quote(read.text)}`;
  if (read.part === "component" && isRepositoryComponent(read.text.toLowerCase())) {
    return `${shown}: repository names must be lower-case; write ${quote(text.replace(read.text, read.text.toLowerCase()))}`;
  }
  return `${shown} is not a valid image reference; use e.g. "python:3.11" or "ghcr.io/org/image:tag"`;
}

export function containerPathProblem(text: string): string | undefined {
  if (text.startsWith("/")) return undefined;
  return `${quote(text)} must be an absolute path inside the container, e.g. "/app"`;
}

/** A flag with a space before any "=": Docker receives it as one unknown argument. */
export function extraArgProblem(arg: string): string | undefined {
  if (!arg.startsWith("-")) return undefined;
  const flag = arg.split("=")[0] ?? arg;
  const space = flag.search(/\s/);
  if (space < 0) return undefined;
  const name = arg.slice(0, space);
  const value = arg.slice(space).trim();
  return `${quote(arg)} is passed to docker as a single argument; write ${quote(`${name}=${value}`)} or split it into ${quote(name)}, ${quote(value)}`;
}

export const RISKY_DOCKER_FLAGS: readonly string[] = [
  "--privileged",
  "--pid=host",
  "--ipc=host",
  "--userns=host",
];

export function riskyExtraArg(arg: string): string | undefined {
  const hit = RISKY_DOCKER_FLAGS.find((flag) => arg === flag || arg.startsWith(`${flag}=`));
  if (hit === undefined) return undefined;
  return `${quote(arg)} removes much of the isolation the container gives`;
}

export function capabilityProblem(text: string): string | undefined {
  if (isCapability(text)) return undefined;
  return `${quote(text)} is not a capability name; use e.g. "ALL" or "NET_RAW"`;
}

export function userProblem(text: string): string | undefined {
  if (isUser(text)) return undefined;
  return `${quote(text)} is not a user; use a name or UID[:GID], e.g. "1000:1000" or "nobody"`;
}

export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export const TOOLS_MODES = ["retrieve", "direct"] as const;
/** Per-server call policy (`allow`): "read-only" refuses tools not annotated readOnlyHint. */
export const ALLOW_POLICIES = ["all", "read-only"] as const;

export function enumProblem(value: string, allowed: readonly string[]): string {
  const guess = didYouMean(value, allowed);
  const hint = guess === undefined ? "" : `; did you mean ${quote(guess)}?`;
  return `${quote(value)} is not one of ${quotedList(allowed)}${hint}`;
}
