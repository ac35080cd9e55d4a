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
  /** Another `--network` in extra_args that overrides network_mode. */
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
