// What the classifier takes and returns.
import type { IsolationResolution } from "@mcpproxy/config";

/** Every failure the classifier knows; the first nine are the spec's. */
export type FindingCode =
  /** A container runtime command run under isolation, or `docker run -t` without a terminal. */
  | "docker-in-docker"
  /** The server reads or writes a path that is not in the container, or not accessible there. */
  | "file-access"
  /** DNS or connect errors in a container with `network_mode: none`. */
  | "network-blocked"
  /** The image is not local and could not be pulled. */
  | "image-not-found"
  /** The server did not finish starting within the startup timeout. */
  | "startup-timeout"
  /** The kernel killed the container for exceeding its memory limit (exit 137). */
  | "oom-killed"
  /** The Docker engine does not answer. */
  | "engine-unreachable"
  /** npx/uvx/pip downloads the server at every start and has no network. */
  | "package-install-needs-network"
  /** The Docker context in use does not exist or points at an engine that is down. */
  | "docker-context"
  /** The image has no such program (`exec: "uvx": executable file not found`). */
  | "command-not-in-image"
  /** The docker CLI cannot run, and this server needs it (a pull, a prepared-image build, an extra_args option). */
  | "docker-cli-missing"
  /** A running server uses more than 90 % of its memory limit (from the engine's stats). */
  | "memory-near-limit"
  /** Advice: a package runner without prepare installs the package again at every start. */
  | "package-downloaded-every-start";

/**
 * A fragment of mcp_config.json, always rooted at the top of the file:
 * `{ "mcpServers": [{ "name": "x", "isolation": { ... } }] }` for one server's
 * settings, `{ "docker_isolation": { ... } }` for global ones. Merge it into
 * the config: objects key by key, `mcpServers` entries matched by `name`.
 */
export interface ConfigSnippet {
  docker_isolation?: Record<string, unknown>;
  mcpServers?: ({ name: string } & Record<string, unknown>)[];
}

export interface Finding {
  code: FindingCode;
  /** One line naming the failure. */
  title: string;
  /** The stderr lines and facts that led to this finding, verbatim. */
  evidence: string[];
  /** What to do, concretely: the config change or the command to run, and why. */
  fix: string;
  /** The config change of `fix`, as JSON to paste (see ConfigSnippet); absent when the fix is not a config change. */
  configSnippet?: ConfigSnippet;
}

/** What `docker inspect` says about the container's end (State.*). */
export interface InspectState {
  oomKilled?: boolean | undefined;
  exitCode?: number | undefined;
  /** State.Error */
  error?: string | undefined;
  /** State.Status: "exited", "running", ... */
  status?: string | undefined;
}

/** Everything known about one failed (or failing) server. Every field is optional. */
export interface DiagnosisEvidence {
  serverName?: string | undefined;
  /** The server's configured command and args (not the docker wrapper). */
  command?: string | undefined;
  args?: readonly string[] | undefined;
  /** The server's stderr lines (or the docker CLI's), oldest first. */
  stderr?: readonly string[] | undefined;
  exitCode?: number | null | undefined;
  inspect?: InspectState | undefined;
  /** The `docker` argv (starting with "run") the server was started with. */
  argv?: readonly string[] | undefined;
  isolation?: IsolationResolution | undefined;
  /** A LifecycleError code, e.g. "STARTUP_TIMEOUT". */
  errorCode?: string | undefined;
  /** The LifecycleError's startup phase, e.g. "initialize" or "spawn". */
  phase?: string | undefined;
  errorMessage?: string | undefined;
  /** What is known about the engine; @mcpproxy/lifecycle's getEngineInfo() returns this shape. */
  engine?: EngineEvidence | undefined;
  /** The image that would be used, and whether it exists locally (from the doctor). */
  image?: string | undefined;
  imageExists?: boolean | undefined;
  /** Whether the docker CLI runs (the doctor asks it beside the Engine API); its error when it does not. */
  dockerCli?: { available: boolean; error?: string | undefined } | undefined;
  /** What this server would run the docker CLI for, each a phrase ("to pull its image node:20"). */
  cliNeeds?: readonly string[] | undefined;
}

/**
 * The engine facts the rules read. Declared here (not imported from lifecycle) so
 * the classifier installs without the package that runs docker.
 */
export interface EngineEvidence {
  reachable: boolean;
  /** Current docker context name, when known ("default", "colima", ...). */
  context?: string | undefined;
  /** Endpoint the CLI talks to, e.g. "unix:///var/run/docker.sock". */
  endpoint?: string | undefined;
  /** When unreachable: a sentence naming the endpoint and the fix. */
  error?: string | undefined;
}
