/** Options of `buildDockerRunArgs` that come from the running proxy, not from the config. */
export interface BuildOptions {
  /** This proxy process's id: becomes the `io.mcpproxy.instance` label (omitted when unset). */
  instanceId?: string | undefined;
  /** A hash of the server's effective config: becomes the `io.mcpproxy.config-hash` label (omitted when unset). */
  configHash?: string | undefined;
  /** The container name's suffix; a random 8-hex-digit one when unset. `[A-Za-z0-9][A-Za-z0-9_.-]*`, ≤ 32 chars. */
  nameSuffix?: string | undefined;
  /** Adds `--cidfile=PATH`, so Docker writes the container id there. */
  cidFile?: string | undefined;
  /** More labels; keys must not start with `io.mcpproxy.` (those are managed here). */
  extraLabels?: Readonly<Record<string, string>> | undefined;
}

/** Every warning `buildDockerRunArgs` can return. */
export type DockerArgsWarningCode =
  /** `--rm` / `-i` repeated in extra_args: dropped, it is already there. */
  | "DUPLICATE_FLAG"
  /** `--rm=false` / `-i=false` in extra_args: dropped, the proxy needs both. */
  | "REQUIRED_FLAG_OVERRIDE"
  /** `--name`, `--cidfile` or an `io.mcpproxy.*` label in extra_args: dropped, lifecycle owns them. */
  | "MANAGED_FLAG_OVERRIDE"
  | "PRIVILEGED"
  /** `--pid=host`, `--ipc=host`, `--uts=host`, `--userns=host`, `--cgroupns=host`. */
  | "HOST_NAMESPACE"
  /** network_mode "host"/"container:…", or such a `--network` in extra_args overriding network_mode. */
  | "NETWORK_HOST"
  /** Another `--network` in extra_args besides network_mode (a second network, not a replacement). */
  | "NETWORK_OVERRIDE"
  /** `--memory` / `--cpus` in extra_args overriding the configured limits. */
  | "SETTING_OVERRIDE"
  /** A bind mount of `/`, a container engine socket, an `.ssh` directory or a whole home directory. */
  | "DANGEROUS_MOUNT"
  /** `--cap-add` of ALL or a capability that breaks isolation (SYS_ADMIN, SYS_PTRACE, ...). */
  | "CAP_ADD"
  /** `--security-opt seccomp=unconfined`, `apparmor=unconfined`, `label=disable`, `systempaths=unconfined`. */
  | "SECURITY_OPT_UNCONFINED"
  /** `-t` / `--tty`: a TTY mangles the stdio JSON-RPC stream. */
  | "TTY"
  /** `-d` / `--detach`: the proxy loses the server's stdio. */
  | "DETACH"
  /** A non-flag token in extra_args: Docker would take it as the image. */
  | "POSITIONAL_EXTRA_ARG"
  /** A flag at the end of extra_args that needs a value: Docker would take the image as its value. */
  | "MISSING_FLAG_VALUE"
  /** An env value had to go into argv (`-e KEY=value`); see the README. */
  | "ENV_VALUE_IN_ARGV"
  /** The command was changed to run inside the container (Windows name, host path). */
  | "COMMAND_REWRITTEN";

export interface DockerArgsWarning {
  code: DockerArgsWarningCode;
  /** One sentence a user can act on. */
  message: string;
  /** The extra_args / volumes / env entry concerned, when there is one (never an env value). */
  arg?: string;
}

/** The complete `docker run` invocation for one server. */
export interface DockerRunArgs {
  /** The structured container this argv renders. */
  spec: ContainerSpec;
  /** Arguments for the `docker` executable; starts with `"run"`. Never run through a shell. */
  argv: string[];
  /** Environment the `docker` process must be given (merged over its own): values for each `-e NAME`. */
  env: Record<string, string>;
  containerName: string;
  /** Every label set on the container (also present in argv as `--label=key=value`). */
  labels: Record<string, string>;
  /** The image argv runs, registry-qualified. */
  image: string;
  /** The runtime detected from the command (`python`, `node`, ..., `binary`). */
  runtime: string;
  warnings: DockerArgsWarning[];
}

/** One env variable of the container. */
export interface SpecEnv {
  name: string;
  value: string;
  /**
   * True when the `docker` CLI reads this name itself (`PATH`, `DOCKER_*`, ...):
   * the argv rendering then carries `-e NAME=value` instead of `-e NAME`.
   */
  inline: boolean;
}

/** One entry of the config's `volumes`. */
export interface SpecVolume {
  /** The spec as configured (`/host:/container:ro`): `-v` and HostConfig.Binds take it verbatim. */
  spec: string;
  /** Host path or volume name; undefined for an anonymous volume. */
  source: string | undefined;
  target: string;
  readOnly: boolean;
}

/** One option from extra_args (after vetting), long name without dashes. */
export interface ExtraFlag {
  name: string;
  /** Undefined for a boolean given without a value. */
  value: string | undefined;
  /** How the option reads, for messages (`--cap-add=NET_ADMIN`). */
  arg: string;
}

/**
 * The container one server runs in: everything `docker run` and the Engine API
 * create request need, with no flag spelled out yet.
 */
export interface ContainerSpec {
  /** `mcpproxy-<server>-<suffix>`. */
  name: string;
  serverName: string;
  /** Registry-qualified image. */
  image: string;
  /** The runtime detected from the command (`python`, `node`, ..., `binary`). */
  runtime: string;
  /** The command run inside the container and its arguments. */
  command: string[];
  env: SpecEnv[];
  labels: Record<string, string>;
  /** memory_limit as configured, and in bytes. */
  memory: string;
  memoryBytes: number;
  /** cpu_limit as configured, and in NanoCpus. */
  cpus: string;
  nanoCpus: number;
  network: string;
  workingDir: string | undefined;
  volumes: SpecVolume[];
  pidsLimit: number | undefined;
  readOnly: boolean;
  /** tmpfs mount targets (a writable /tmp with a read-only rootfs). */
  tmpfs: string[];
  capDrop: string[];
  securityOpt: string[];
  user: string | undefined;
  /** Always true: the proxy speaks JSON-RPC over stdin. */
  interactive: true;
  /** True by default; renderers can turn it off (lifecycle keeps exited containers to inspect them). */
  removeOnExit: boolean;
  cidFile: string | undefined;
  /** The vetted extra_args tokens, as written: the argv rendering appends them in order. */
  extraArgs: string[];
  /** The same options, parsed: the API rendering maps each to the create request. */
  extraFlags: ExtraFlag[];
  warnings: DockerArgsWarning[];
}
