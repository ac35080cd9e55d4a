// Reading a `docker run` argv back: which tokens are docker's options, which
// is the image, which is the command inside the container. Used to learn the
// network mode, memory limit and mounts from a logged argv, and to fix a
// server's own `docker run -it` args. The grammar (flag table, scanner, volume
// and mount specs) is @mcpproxy/docker-grammar's; this file only adapts it.
import {
  booleanValue,
  isHostPath,
  isReadOnlyVolume,
  longFlagName,
  parseMountSpec,
  parseVolumeSpec as parseVolume,
  removeFlags,
  scanFlags,
} from "@mcpproxy/docker-grammar";

export interface ParsedDockerRun {
  /** The option tokens between `run` and the image. */
  options: string[];
  image?: string | undefined;
  /** The command and arguments run inside the container. */
  command: string[];
}

function isContainerCli(token: string): boolean {
  return /(^|[/\\])(docker|podman|nerdctl)(\.exe)?$/i.test(token);
}

/** Index of the first option after `[docker] run` / `[docker] container run`; undefined when not a run. */
function runOptionsStart(argv: readonly string[]): number | undefined {
  const i = argv[0] !== undefined && isContainerCli(argv[0]) ? 1 : 0;
  if (argv[i] === "container" && argv[i + 1] === "run") return i + 2;
  if (argv[i] === "run") return i + 1;
  return undefined;
}

/**
 * Splits `[run, ...options, image, ...command]` (a leading "docker" is
 * skipped). Returns no image when the argv is not a `docker run`.
 */
export function parseDockerRun(argv: readonly string[]): ParsedDockerRun {
  const start = runOptionsStart(argv);
  if (start === undefined) return { options: [], command: [] };
  const { positional } = scanFlags(argv, start);
  const imageAt = argv[positional] === "--" ? positional + 1 : positional;
  return {
    options: argv.slice(start, positional),
    image: argv[imageAt],
    command: argv.slice(imageAt + 1),
  };
}

/** All values of an option in parsed options (`--network=none`, `--network none`, `--net none`, `-m 1g`). */
export function optionValues(options: readonly string[], names: readonly string[]): string[] {
  const wanted = new Set(names.map(longFlagName));
  return scanFlags(options)
    .flags.filter((flag) => wanted.has(flag.name) && flag.value !== undefined)
    .map((flag) => flag.value as string);
}

export interface BindMount {
  host: string;
  container: string;
  readOnly: boolean;
}

/** Bind mounts from `-v/--volume host:container[:opts]` and `--mount type=bind,...`. */
export function bindMounts(options: readonly string[]): BindMount[] {
  const mounts: BindMount[] = [];
  for (const flag of scanFlags(options).flags) {
    if (flag.value === undefined) continue;
    if (flag.name === "volume") {
      const mount = parseVolumeSpec(flag.value);
      if (mount) mounts.push(mount);
    } else if (flag.name === "mount") {
      const mount = parseMountSpec(flag.value);
      if (mount.type === "bind" && mount.source && mount.target) {
        mounts.push({ host: mount.source, container: mount.target, readOnly: mount.readOnly });
      }
    }
  }
  return mounts;
}

/** `/host:/container[:ro|:rw]` (the config's `volumes` syntax); undefined for named or anonymous volumes. */
export function parseVolumeSpec(spec: string): BindMount | undefined {
  const parsed = parseVolume(spec);
  if (!parsed.source || !parsed.target || !isHostPath(parsed.source)) return undefined;
  return { host: parsed.source, container: parsed.target, readOnly: isReadOnlyVolume(parsed) };
}

/**
 * A server's own `docker run` args with the TTY flag removed (`-it` → `-i`,
 * `-t`/`--tty` dropped), only among docker's options, never in the container
 * command. Returns undefined when there was no TTY flag.
 */
export function withoutTtyFlag(args: readonly string[]): string[] | undefined {
  const start = runOptionsStart(args);
  if (start === undefined) return undefined;
  const tty = scanFlags(args, start).flags.filter(
    (flag) => flag.name === "tty" && booleanValue(flag.value) === true,
  );
  return tty.length === 0 ? undefined : removeFlags(args, tty);
}
