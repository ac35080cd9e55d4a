// Reading a `docker run` argv back: which tokens are docker's options, which
// is the image, which is the command inside the container. Used to learn the
// network mode, memory limit and mounts from a logged argv, and to fix a
// server's own `docker run -it` args.

/** `docker run` options that take a value as the next token (when not written `--opt=value`). */
const VALUE_OPTIONS = new Set([
  "-a",
  "--attach",
  "--add-host",
  "--blkio-weight",
  "--cap-add",
  "--cap-drop",
  "--cgroup-parent",
  "--cgroupns",
  "--cidfile",
  "-c",
  "--cpu-shares",
  "--cpu-period",
  "--cpu-quota",
  "--cpu-rt-period",
  "--cpu-rt-runtime",
  "--cpus",
  "--cpuset-cpus",
  "--cpuset-mems",
  "--device",
  "--device-cgroup-rule",
  "--device-read-bps",
  "--device-read-iops",
  "--device-write-bps",
  "--device-write-iops",
  "--dns",
  "--dns-option",
  "--dns-search",
  "--domainname",
  "--entrypoint",
  "-e",
  "--env",
  "--env-file",
  "--expose",
  "--gpus",
  "--group-add",
  "--health-cmd",
  "--health-interval",
  "--health-retries",
  "--health-start-period",
  "--health-timeout",
  "-h",
  "--hostname",
  "--ip",
  "--ip6",
  "--ipc",
  "--isolation",
  "--kernel-memory",
  "-l",
  "--label",
  "--label-file",
  "--link",
  "--link-local-ip",
  "--log-driver",
  "--log-opt",
  "--mac-address",
  "-m",
  "--memory",
  "--memory-reservation",
  "--memory-swap",
  "--memory-swappiness",
  "--mount",
  "--name",
  "--net",
  "--network",
  "--net-alias",
  "--network-alias",
  "--oom-score-adj",
  "--pid",
  "--pids-limit",
  "--platform",
  "-p",
  "--publish",
  "--pull",
  "--restart",
  "--runtime",
  "--security-opt",
  "--shm-size",
  "--stop-signal",
  "--stop-timeout",
  "--storage-opt",
  "--sysctl",
  "--tmpfs",
  "-u",
  "--user",
  "--ulimit",
  "--userns",
  "--uts",
  "-v",
  "--volume",
  "--volume-driver",
  "--volumes-from",
  "-w",
  "--workdir",
]);

export interface ParsedDockerRun {
  /** The option tokens between `run` and the image. */
  options: string[];
  image?: string | undefined;
  /** The command and arguments run inside the container. */
  command: string[];
}

/**
 * Splits `[run, ...options, image, ...command]` (a leading "docker" is
 * skipped). Returns no image when the argv is not a `docker run`.
 */
export function parseDockerRun(argv: readonly string[]): ParsedDockerRun {
  let i = argv[0] !== undefined && isContainerCli(argv[0]) ? 1 : 0;
  if (argv[i] === "container" && argv[i + 1] === "run") i += 2;
  else if (argv[i] === "run") i += 1;
  else return { options: [], command: [] };
  const options: string[] = [];
  for (; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === "--") {
      i++;
      break;
    }
    if (!token.startsWith("-") || token === "-") break;
    options.push(token);
    if (takesNextValue(token) && i + 1 < argv.length) options.push(argv[++i] as string);
  }
  return { options, image: argv[i], command: argv.slice(i + 1) };
}

function isContainerCli(token: string): boolean {
  return /(^|[/\\])(docker|podman|nerdctl)(\.exe)?$/i.test(token);
}

function takesNextValue(token: string): boolean {
  if (token.includes("=")) return false;
  if (VALUE_OPTIONS.has(token)) return true;
  // Short-option clusters such as -it, -ie, -itv: the last letter decides.
  if (/^-[a-zA-Z]{2,}$/.test(token)) return VALUE_OPTIONS.has(`-${token.slice(-1)}`);
  return false;
}

/** All values of an option in parsed options (`--network=none`, `--network none`, `--net none`). */
export function optionValues(options: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const token = options[i] as string;
    const eq = token.indexOf("=");
    const name = eq >= 0 ? token.slice(0, eq) : token;
    if (!names.includes(name)) continue;
    if (eq >= 0) values.push(token.slice(eq + 1));
    else if (i + 1 < options.length) values.push(options[++i] as string);
  }
  return values;
}

export interface BindMount {
  host: string;
  container: string;
  readOnly: boolean;
}

/** Bind mounts from `-v/--volume host:container[:opts]` and `--mount type=bind,...`. */
export function bindMounts(options: readonly string[]): BindMount[] {
  const mounts: BindMount[] = [];
  for (const spec of optionValues(options, ["-v", "--volume"])) {
    const mount = parseVolumeSpec(spec);
    if (mount) mounts.push(mount);
  }
  for (const spec of optionValues(options, ["--mount"])) {
    const fields = new Map(
      spec.split(",").map((part) => {
        const eq = part.indexOf("=");
        return eq < 0 ? [part, "true"] : [part.slice(0, eq), part.slice(eq + 1)];
      }),
    );
    const host = fields.get("source") ?? fields.get("src");
    const container = fields.get("target") ?? fields.get("destination") ?? fields.get("dst");
    if (fields.get("type") === "bind" && host && container) {
      const ro = fields.get("readonly") ?? fields.get("ro");
      mounts.push({ host, container, readOnly: ro === "true" || ro === "1" });
    }
  }
  return mounts;
}

/** `/host:/container[:ro|:rw]` (the config's `volumes` syntax); undefined for named volumes. */
export function parseVolumeSpec(spec: string): BindMount | undefined {
  const parts = spec.split(":");
  // A Windows host path has a drive letter: C:\data:/data:ro
  if (parts.length >= 3 && /^[A-Za-z]$/.test(parts[0] ?? "")) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  const [host, container, mode] = parts;
  if (!host || !container || !(host.startsWith("/") || /^[A-Za-z]:[\\/]/.test(host))) return undefined;
  return { host, container, readOnly: (mode ?? "").split(",").includes("ro") };
}

/**
 * A server's own `docker run` args with the TTY flag removed (`-it` → `-i`,
 * `-t`/`--tty` dropped), only among docker's options, never in the container
 * command. Returns undefined when there was no TTY flag.
 */
export function withoutTtyFlag(args: readonly string[]): string[] | undefined {
  const parsed = parseDockerRun(args);
  if (parsed.image === undefined) return undefined;
  const optionCount = args.length - parsed.command.length - 1;
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    const isOption =
      i < optionCount && token.startsWith("-") && (i === 0 || !takesNextValue(args[i - 1] as string));
    if (isOption && (token === "-t" || token === "--tty" || token === "--tty=true")) {
      changed = true;
      continue;
    }
    if (isOption && /^-[a-zA-Z]{2,}$/.test(token) && token.includes("t")) {
      changed = true;
      const rest = token.replace(/t/g, "");
      if (rest !== "-") out.push(rest);
      continue;
    }
    out.push(token);
  }
  return changed ? out : undefined;
}
