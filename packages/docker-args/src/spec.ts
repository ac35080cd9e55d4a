// ServerConfig + EffectiveIsolation → one structured ContainerSpec (no shell, no
// I/O). Both renderings come from it: the `docker run` argv (render-argv.ts) and
// the Engine API create request (render-api.ts).
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import { commandBaseName, sharedNetworkRisk } from "@mcpproxy/config";
import {
  isContainerRuntimeCommand,
  parseImageReference,
  resolveImage,
  RuntimeDetectError,
  type MatchedBy,
} from "@mcpproxy/runtime-detect";
import { isReadOnlyVolume, parseVolumeSpec, scanFlags } from "@mcpproxy/docker-grammar";
import { DockerArgsError } from "./errors.ts";
import { mountWarning, vetExtraArgs } from "./extra-args.ts";
import { containerName, MANAGED_BY_VALUE, MCPPROXY_LABELS, randomNameSuffix } from "./labels.ts";
import { normalizeTarget } from "./mounts.ts";
import type { BuildOptions, ContainerSpec, DockerArgsWarning, SpecEnv, SpecVolume } from "./types.ts";
import {
  checkArgvEntry,
  checkCapability,
  checkCpus,
  checkEnvKey,
  checkEnvValue,
  checkLabelKey,
  checkMemory,
  checkNameSuffix,
  checkNetwork,
  checkPidsLimit,
  checkUser,
  checkWorkingDir,
  fail,
  requireText,
} from "./validate.ts";

/**
 * Env names the `docker` CLI reads for itself (daemon address, config dir, proxies,
 * PATH for its helpers). Passing such a value through docker's own environment
 * would redirect docker, so these go inline as `-e NAME=value` instead.
 */
const DOCKER_CLI_ENV = new Set([
  "PATH",
  "HOME",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
  "PROGRAMDATA",
  "SYSTEMROOT",
  "TMPDIR",
  "TMP",
  "TEMP",
  "SSH_AUTH_SOCK",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
]);
const DOCKER_CLI_ENV_PREFIXES = ["DOCKER_", "BUILDKIT_", "XDG_"];

/** True for env names whose value goes inline into argv (`-e NAME=value`) because docker itself reads them. */
export function isDockerCliEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return DOCKER_CLI_ENV.has(upper) || DOCKER_CLI_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

const WINDOWS_COMMAND = /\\|^[A-Za-z]:|\.(?:exe|cmd|bat|ps1|com)$/i;

/**
 * The command as the container runs it: Windows names and paths become the bare
 * program name (`C:\nodejs\npx.cmd` → `npx`); a host path to a recognised runtime
 * becomes its name (`/opt/homebrew/bin/python3` → `python3`), found on the image's
 * PATH; anything else is kept (a path may point into a mounted volume).
 */
function containerCommand(command: string, matchedBy: MatchedBy): string {
  const trimmed = command.trim();
  if (WINDOWS_COMMAND.test(trimmed)) return commandBaseName(trimmed);
  if (matchedBy !== "fallback" && trimmed.includes("/")) return trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return trimmed;
}

function resolveServerImage(command: string, settings: EffectiveIsolation): ReturnType<typeof resolveImage> {
  try {
    return resolveImage(command, {
      image: settings.image,
      default_images: settings.default_images,
      registry: settings.registry,
    });
  } catch (error) {
    if (!(error instanceof RuntimeDetectError)) throw error;
    const [code, field] =
      error.code === "INVALID_REGISTRY"
        ? (["INVALID_REGISTRY", "registry"] as const)
        : (["INVALID_IMAGE", settings.image === undefined ? "default_images" : "isolation.image"] as const);
    throw new DockerArgsError(code, field, error.value, `${field}: ${error.message}`, { cause: error });
  }
}

/** A prepared image is local: validated as a reference, never put under the registry. */
function checkPreparedImage(image: string): string {
  try {
    parseImageReference(image);
    return image;
  } catch (error) {
    if (!(error instanceof RuntimeDetectError)) throw error;
    throw new DockerArgsError("INVALID_IMAGE", "prepared_image", image, `prepared_image: ${error.message}`, {
      cause: error,
    });
  }
}

/** `record[key] = value`, also for keys such as `__proto__` that plain assignment would not store. */
function setOwn(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function buildLabels(server: ServerConfig, options: BuildOptions): Record<string, string> {
  const labels: Record<string, string> = {
    [MCPPROXY_LABELS.managedBy]: MANAGED_BY_VALUE,
    [MCPPROXY_LABELS.server]: server.name,
  };
  if (options.instanceId !== undefined) {
    labels[MCPPROXY_LABELS.instance] = requireText(
      "INVALID_OPTION",
      "options.instanceId",
      options.instanceId,
    );
  }
  if (options.configHash !== undefined) {
    labels[MCPPROXY_LABELS.configHash] = requireText(
      "INVALID_OPTION",
      "options.configHash",
      options.configHash,
    );
  }
  for (const [key, value] of Object.entries(options.extraLabels ?? {})) {
    checkLabelKey(key);
    setOwn(labels, key, checkArgvEntry("INVALID_OPTION", `options.extraLabels.${key}`, value));
  }
  return labels;
}

function specEnv(server: ServerConfig, warnings: DockerArgsWarning[]): SpecEnv[] {
  return Object.entries(server.env ?? {}).map(([name, raw]) => {
    checkEnvKey(name);
    const value = checkEnvValue(name, raw);
    const inline = isDockerCliEnvName(name);
    if (inline) {
      warnings.push({
        code: "ENV_VALUE_IN_ARGV",
        message: `${name} is also read by the docker CLI itself, so its value is passed inline in argv (visible in ps) rather than through docker's environment`,
        arg: `-e ${name}=***`,
      });
    }
    return { name, value, inline };
  });
}

type Hardening = Pick<ContainerSpec, "pidsLimit" | "readOnly" | "tmpfs" | "capDrop" | "securityOpt" | "user">;

function hardening(settings: EffectiveIsolation, mountTargets: ReadonlySet<string>): Hardening {
  if (settings.pids_limit !== undefined) checkPidsLimit(settings.pids_limit);
  (settings.cap_drop ?? []).forEach((capability, index) => checkCapability(capability, index));
  if (settings.user !== undefined) checkUser(settings.user);
  const readOnly = settings.read_only === true;
  return {
    pidsLimit: settings.pids_limit,
    readOnly,
    // A writable /tmp, unless a volume already provides one (Docker rejects duplicate mount points).
    tmpfs: readOnly && !mountTargets.has("/tmp") ? ["/tmp"] : [],
    capDrop: [...(settings.cap_drop ?? [])],
    securityOpt: settings.no_new_privileges === true ? ["no-new-privileges"] : [],
    user: settings.user,
  };
}

function specVolumes(settings: EffectiveIsolation, warnings: DockerArgsWarning[]): SpecVolume[] {
  return settings.volumes.map((spec, index) => {
    requireText("INVALID_VOLUME", `volumes[${index}]`, spec);
    const parsed = parseVolumeSpec(spec);
    const warning = mountWarning(parsed.source, spec);
    if (warning !== undefined) warnings.push(warning);
    return { spec, source: parsed.source, target: parsed.target ?? spec, readOnly: isReadOnlyVolume(parsed) };
  });
}

/** Every option in the vetted extra_args, in order, as `{ name, value, arg }`. */
function extraFlags(args: readonly string[]): ContainerSpec["extraFlags"] {
  return scanFlags(args).flags.map((flag) => ({
    name: flag.name,
    value: flag.value,
    arg: flag.value === undefined ? `--${flag.name}` : `--${flag.name}=${flag.value}`,
  }));
}

/**
 * The container a server with isolation enabled runs in, as one structured spec.
 * Throws `DockerArgsError` for invalid input; risky but valid input yields `warnings`.
 */
export function buildContainerSpec(
  server: ServerConfig,
  settings: EffectiveIsolation,
  options: BuildOptions = {},
): ContainerSpec {
  if ((settings.enabled as boolean) !== true) {
    fail(
      "ISOLATION_DISABLED",
      "isolation.enabled",
      String(settings.enabled),
      "isolation is not enabled for this server",
    );
  }
  requireText("INVALID_SERVER_NAME", "name", server.name);
  const command = requireText("INVALID_COMMAND", "command", server.command);
  if (isContainerRuntimeCommand(command)) {
    fail(
      "CONTAINER_RUNTIME_COMMAND",
      "command",
      command,
      "it is itself a container runtime; running it inside Docker would be Docker-in-Docker",
    );
  }
  const args = (server.args ?? []).map((arg, index) => checkArgvEntry("INVALID_ARG", `args[${index}]`, arg));
  const memoryBytes = checkMemory(settings.memory_limit);
  const nanoCpus = checkCpus(settings.cpu_limit);
  checkNetwork(settings.network_mode);
  const extraArgs = settings.extra_args.map((arg, index) =>
    checkArgvEntry("INVALID_EXTRA_ARG", `extra_args[${index}]`, arg),
  );
  const warnings: DockerArgsWarning[] = [];

  const suffix = options.nameSuffix ?? randomNameSuffix();
  checkNameSuffix(suffix);
  const labels = buildLabels(server, options);
  const cidFile =
    options.cidFile === undefined
      ? undefined
      : requireText("INVALID_OPTION", "options.cidFile", options.cidFile);
  const env = specEnv(server, warnings);
  if (settings.working_dir !== undefined) checkWorkingDir(settings.working_dir);
  const volumes = specVolumes(settings, warnings);
  const mountTargets = new Set<string>();
  for (const volume of volumes) {
    const target = normalizeTarget(volume.target);
    if (target !== undefined) mountTargets.add(target);
  }
  const vetted = vetExtraArgs(extraArgs, settings.network_mode);
  for (const target of vetted.mountTargets) mountTargets.add(target);

  const prepared = settings.prepared_image;
  const resolved =
    prepared === undefined
      ? resolveServerImage(command, settings)
      : { image: checkPreparedImage(prepared), runtime: "prepared" };
  // A prepared image's ENTRYPOINT runs the installed server: only the args follow the image.
  const inContainer = "matchedBy" in resolved ? containerCommand(command, resolved.matchedBy) : command;
  if (inContainer !== command) {
    warnings.push({
      code: "COMMAND_REWRITTEN",
      message: `the command ${JSON.stringify(command)} runs as ${JSON.stringify(inContainer)} inside the container`,
      arg: command,
    });
  }
  warnings.push(...vetted.warnings);
  const networkRisk = sharedNetworkRisk(settings.network_mode);
  if (networkRisk !== undefined) {
    warnings.push({
      code: "NETWORK_HOST",
      message: `network_mode "${settings.network_mode}" gives the server ${networkRisk}`,
      arg: `--network=${settings.network_mode}`,
    });
  }
  return {
    name: containerName(server.name, suffix),
    serverName: server.name,
    image: resolved.image,
    runtime: resolved.runtime,
    command: prepared === undefined ? [inContainer, ...args] : args,
    env,
    labels,
    memory: settings.memory_limit,
    memoryBytes,
    cpus: settings.cpu_limit,
    nanoCpus,
    network: settings.network_mode,
    workingDir: settings.working_dir,
    volumes,
    ...hardening(settings, mountTargets),
    interactive: true,
    removeOnExit: true,
    cidFile,
    extraArgs: vetted.args,
    extraFlags: extraFlags(vetted.args),
    warnings,
  };
}
