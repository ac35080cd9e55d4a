// The one table of `docker run` options and a scanner that reads them as the
// Docker CLI (pflag) does: long `--name=value` / `--name value`, short
// `-v value` / `-vvalue` / `-v=value`, and combined boolean shorthands (`-it`).
// An option missing from both tables is read as taking a value (the safe
// reading: the next token is never mistaken for the image).

/** `docker run` options that take no value. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  "detach",
  "disable-content-trust",
  "help",
  "init",
  "interactive",
  "no-healthcheck",
  "oom-kill-disable",
  "privileged",
  "publish-all",
  "quiet",
  "read-only",
  "rm",
  "sig-proxy",
  "tty",
  "use-api-socket",
]);

/** `docker run` options (Docker 20.10 … 28) that take a value. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  "add-host",
  "annotation",
  "attach",
  "blkio-weight",
  "blkio-weight-device",
  "cap-add",
  "cap-drop",
  "cgroup-parent",
  "cgroupns",
  "cidfile",
  "cpu-count",
  "cpu-percent",
  "cpu-period",
  "cpu-quota",
  "cpu-rt-period",
  "cpu-rt-runtime",
  "cpu-shares",
  "cpus",
  "cpuset-cpus",
  "cpuset-mems",
  "device",
  "device-cgroup-rule",
  "device-read-bps",
  "device-read-iops",
  "device-write-bps",
  "device-write-iops",
  "dns",
  "dns-option",
  "dns-search",
  "domainname",
  "entrypoint",
  "env",
  "env-file",
  "expose",
  "gpus",
  "group-add",
  "health-cmd",
  "health-interval",
  "health-retries",
  "health-start-interval",
  "health-start-period",
  "health-timeout",
  "hostname",
  "io-maxbandwidth",
  "io-maxiops",
  "ip",
  "ip6",
  "ipc",
  "isolation",
  "kernel-memory",
  "label",
  "label-file",
  "link",
  "link-local-ip",
  "log-driver",
  "log-opt",
  "mac-address",
  "memory",
  "memory-reservation",
  "memory-swap",
  "memory-swappiness",
  "mount",
  "name",
  "net",
  "net-alias",
  "network",
  "network-alias",
  "oom-score-adj",
  "pid",
  "pids-limit",
  "platform",
  "publish",
  "pull",
  "restart",
  "runtime",
  "security-opt",
  "shm-size",
  "stop-signal",
  "stop-timeout",
  "storage-opt",
  "sysctl",
  "tmpfs",
  "ulimit",
  "user",
  "userns",
  "uts",
  "volume",
  "volume-driver",
  "volumes-from",
  "workdir",
]);

/** Every option `docker run` knows, by long name, sorted. */
export function knownRunFlags(): string[] {
  return [...BOOLEAN_FLAGS, ...VALUE_FLAGS].sort();
}

/** True for an option `docker run` knows (by long name, without dashes). */
export function isKnownRunFlag(name: string): boolean {
  return BOOLEAN_FLAGS.has(name) || VALUE_FLAGS.has(name);
}

/** The long name of a flag as written (`-m` → `memory`, `--net` → `net`, `memory` → `memory`). */
export function longFlagName(flag: string): string {
  if (flag.startsWith("--")) return flag.slice(2);
  if (flag.startsWith("-") && flag.length === 2) return SHORTHANDS[flag[1] ?? ""] ?? flag;
  return flag;
}

/** Short option letter → long name. */
const SHORTHANDS: Readonly<Record<string, string>> = {
  a: "attach",
  c: "cpu-shares",
  d: "detach",
  e: "env",
  h: "hostname",
  i: "interactive",
  l: "label",
  m: "memory",
  p: "publish",
  P: "publish-all",
  q: "quiet",
  t: "tty",
  u: "user",
  v: "volume",
  w: "workdir",
};

/** One option occurrence. For a combined shorthand (`-it`) there is one per letter. */
export interface ScannedFlag {
  /** Long name without dashes (`interactive` for `-i`); the raw token for an unknown shorthand. */
  name: string;
  /** `undefined` for a boolean given without `=value`. */
  value: string | undefined;
  /** Index of the token the option starts in. */
  index: number;
  /** For a shorthand inside a combined token: the letter's position in that token. */
  letter?: number;
  /** Index of the token holding the value and the offset where the value starts in it. */
  valueAt?: { index: number; offset: number };
  /** A value flag at the end with no value token. */
  missingValue?: boolean;
}

export interface ScanResult {
  flags: ScannedFlag[];
  /** Index of the first positional token (the image, in a full argv); `tokens.length` when none. */
  positional: number;
}

export function isBooleanFlag(name: string): boolean {
  return BOOLEAN_FLAGS.has(name);
}

function scanShort(tokens: readonly string[], index: number, flags: ScannedFlag[]): number {
  const token = tokens[index] ?? "";
  for (let i = 1; i < token.length; i += 1) {
    const name = SHORTHANDS[token[i] ?? ""];
    if (name === undefined) {
      // Unknown to this table: keep the token whole, Docker will judge it.
      flags.push({ name: token, value: undefined, index });
      return index + 1;
    }
    if (BOOLEAN_FLAGS.has(name)) {
      if (token[i + 1] === "=") {
        flags.push({ name, value: token.slice(i + 2), index, letter: i, valueAt: { index, offset: i + 2 } });
        return index + 1;
      }
      flags.push({ name, value: undefined, index, letter: i });
      continue;
    }
    const offset = token[i + 1] === "=" ? i + 2 : i + 1;
    if (offset < token.length || token[i + 1] === "=") {
      flags.push({ name, value: token.slice(offset), index, letter: i, valueAt: { index, offset } });
      return index + 1;
    }
    const next = tokens[index + 1];
    if (next === undefined) {
      flags.push({ name, value: undefined, index, letter: i, missingValue: true });
      return index + 1;
    }
    flags.push({ name, value: next, index, letter: i, valueAt: { index: index + 1, offset: 0 } });
    return index + 2;
  }
  return index + 1;
}

/** Scans options from `start` up to the first positional token. */
export function scanFlags(tokens: readonly string[], start = 0): ScanResult {
  const flags: ScannedFlag[] = [];
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] ?? "";
    if (token === "--" || token === "-" || !token.startsWith("-")) return { flags, positional: index };
    if (!token.startsWith("--")) {
      index = scanShort(tokens, index, flags);
      continue;
    }
    const equals = token.indexOf("=");
    const name = token.slice(2, equals >= 0 ? equals : undefined);
    if (equals >= 0) {
      flags.push({ name, value: token.slice(equals + 1), index, valueAt: { index, offset: equals + 1 } });
      index += 1;
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.push({ name, value: undefined, index });
      index += 1;
    } else if (index + 1 < tokens.length) {
      flags.push({ name, value: tokens[index + 1], index, valueAt: { index: index + 1, offset: 0 } });
      index += 2;
    } else {
      flags.push({ name, value: undefined, index, missingValue: true });
      index += 1;
    }
  }
  return { flags, positional: index };
}

/** pflag's reading of a boolean: no value or 1/t/true (any case) is true. */
export function booleanValue(value: string | undefined): boolean | undefined {
  if (value === undefined || /^(?:1|t|true)$/i.test(value)) return true;
  if (/^(?:0|f|false)$/i.test(value)) return false;
  return undefined;
}

/**
 * `tokens` without the given options (found by `scanFlags` on the same tokens):
 * a whole token, a separate value token, or one letter of a combined shorthand
 * (`-it` without tty → `-i`; a token left as a bare `-` goes).
 */
export function removeFlags(tokens: readonly string[], remove: readonly ScannedFlag[]): string[] {
  const dropTokens = new Set<number>();
  const dropLetters = new Map<number, [number, number][]>();
  for (const flag of remove) {
    const separateValue = flag.valueAt !== undefined && flag.valueAt.index !== flag.index;
    if (separateValue && flag.valueAt !== undefined) dropTokens.add(flag.valueAt.index);
    if (flag.letter === undefined) {
      dropTokens.add(flag.index);
      continue;
    }
    const token = tokens[flag.index] ?? "";
    const end = flag.valueAt !== undefined && !separateValue ? token.length : flag.letter + 1;
    const ranges = dropLetters.get(flag.index) ?? [];
    ranges.push([flag.letter, end]);
    dropLetters.set(flag.index, ranges);
  }
  const kept: string[] = [];
  tokens.forEach((token, index) => {
    if (dropTokens.has(index)) return;
    const ranges = dropLetters.get(index);
    if (ranges === undefined) {
      kept.push(token);
      return;
    }
    let rest = "";
    let at = 0;
    for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
      rest += token.slice(at, from);
      at = Math.max(at, to);
    }
    rest += token.slice(at);
    if (rest !== "-") kept.push(rest);
  });
  return kept;
}
