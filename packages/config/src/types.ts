// The shape of a loaded, validated and defaulted mcp_config.json. Other packages
// code against these types; the zod schema (schema.ts) must produce exactly them.

export type LogLevel = "error" | "warn" | "info" | "debug";
export type ToolsMode = "retrieve" | "direct";
/** Per-server call policy: "read-only" refuses tools not annotated readOnlyHint. */
export type AllowPolicy = "all" | "read-only";

/** Hardening options beyond the spec; all off unless set, so the default `docker run` stays the spec's. */
export interface HardeningSettings {
  /** `--pids-limit N` */
  pids_limit?: number | undefined;
  /** `--read-only` root filesystem (with a tmpfs on /tmp) */
  read_only?: boolean | undefined;
  /** `--cap-drop X` for each entry, e.g. ["ALL"] */
  cap_drop?: string[] | undefined;
  /** `--security-opt no-new-privileges` */
  no_new_privileges?: boolean | undefined;
  /** `--user UID[:GID]` or a name */
  user?: string | undefined;
}

/** `docker_isolation` at the top level of the config, with every default applied. */
export interface DockerIsolationConfig extends HardeningSettings {
  enabled: boolean;
  /** Docker memory format: "512m", "1g", or bytes. */
  memory_limit: string;
  /** Positive decimal number of CPUs, e.g. "1.0". */
  cpu_limit: string;
  /** Startup timeout, Go-style duration: "30s", "500ms", "1m30s". */
  timeout: string;
  /** Limit of an image pull (outside `timeout`), Go-style duration; default "15m". */
  pull_timeout?: string | undefined;
  network_mode: string;
  registry: string;
  /** Command name or runtime → image. Always holds every default key; user entries override. */
  default_images: Record<string, string>;
  extra_args: string[];
  /** Prepared images for package-runner servers (default false; optional so older literals stay valid). */
  prepare?: boolean | undefined;
}

/** A server's `isolation` block: every field optional, overriding the global settings. */
export interface ServerIsolationConfig extends HardeningSettings {
  enabled?: boolean | undefined;
  image?: string | undefined;
  memory_limit?: string | undefined;
  cpu_limit?: string | undefined;
  network_mode?: string | undefined;
  working_dir?: string | undefined;
  extra_args?: string[] | undefined;
  /** Overrides `docker_isolation.prepare`. */
  prepare?: boolean | undefined;
  /** "/abs/host:/abs/container[:ro|:rw]" */
  volumes?: string[] | undefined;
}

export interface ServerConfig {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Working directory of the process when it is not isolated. */
  working_dir?: string | undefined;
  enabled: boolean;
  isolation?: ServerIsolationConfig | undefined;
  /** Not isolated: pass the proxy's whole environment (default: a small allowlist plus `env`). */
  inherit_env?: boolean | undefined;
  /** Call policy (default "all"); "read-only" refuses write/destructive tools. */
  allow?: AllowPolicy | undefined;
  /** Keep redacted argument values in the activity log (default false: keys and sizes only). */
  log_argument_values?: boolean | undefined;
}

export interface McpProxyConfig {
  /** host:port of the proxy's HTTP listener (MCP at /mcp, REST at /api/v1). */
  listen: string;
  api_key?: string | undefined;
  /** On a loopback listener, /mcp and REST need no key (opt-out; default false). */
  allow_loopback_without_key: boolean;
  data_dir?: string | undefined;
  log_dir?: string | undefined;
  log_level: LogLevel;
  /** "retrieve": retrieve_tools + call_tool; "direct": every upstream tool as <server>__<tool>. */
  tools_mode: ToolsMode;
  docker_isolation: DockerIsolationConfig;
  /** Quarantine every server the proxy has not seen before, also at the first start (default false). */
  quarantine_new_servers?: boolean | undefined;
  /** Size cap of the activity log in bytes (default 64 MiB). */
  activity_log_max_bytes?: number | undefined;
  /** Always an array after loading, even when the file used the object-map form. */
  mcpServers: ServerConfig[];
}

/** Why isolation does not apply to a server. */
export type IsolationDisabledReason = "global-disabled" | "server-disabled" | "container-runtime-command";

/** The isolation settings that apply to one server, after server → global → default resolution. */
export interface EffectiveIsolation extends HardeningSettings {
  enabled: true;
  /** Only the server's explicit `isolation.image`; the final image is chosen by @mcpproxy/runtime-detect. */
  image?: string | undefined;
  memory_limit: string;
  cpu_limit: string;
  network_mode: string;
  /** Startup timeout in milliseconds (parsed from `timeout`). */
  timeout_ms: number;
  /** Image pull limit in milliseconds (parsed from `pull_timeout`), outside the startup timeout. */
  pull_timeout_ms?: number | undefined;
  registry: string;
  default_images: Record<string, string>;
  /** Global extra_args followed by the server's. */
  extra_args: string[];
  working_dir?: string | undefined;
  volumes: string[];
  /**
   * Set by the server (never by the config file) once a prepared image exists for
   * this server: a local image whose ENTRYPOINT runs the server. The container
   * runs it as is (never registry-qualified) with only the server's args as CMD.
   */
  prepared_image?: string | undefined;
}

export interface DisabledIsolation {
  enabled: false;
  reason: IsolationDisabledReason;
  /** One human sentence, e.g. "the command `docker` is itself a container runtime (Docker-in-Docker prevention)". */
  detail: string;
  /** Startup timeout in milliseconds; applies to non-isolated servers too. */
  timeout_ms: number;
}

export type IsolationResolution = EffectiveIsolation | DisabledIsolation;
