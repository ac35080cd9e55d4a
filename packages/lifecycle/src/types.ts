// The contract of @mcpproxy/lifecycle that the server app, the CLI and
// diagnostics code against. Implementations live beside this file.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** Lifecycle of one upstream server. */
export type ServerState =
  | "stopped"
  /** Building the server's prepared image (outside the startup timeout; apps/server's prepare step). */
  | "preparing"
  /** Waiting for a missing image to be pulled (outside the startup timeout). */
  | "pulling"
  | "starting"
  | "ready"
  | "restarting"
  | "failed"
  | "stopping";

/** Which part of a start stalled or failed; named in errors so users know where to look. */
export type StartPhase = "engine" | "image" | "process" | "initialize";

/** How a server process/container ended. */
export interface ExitInfo {
  at: Date;
  exitCode: number | null;
  signal?: string | undefined;
  /** From `docker inspect` State.OOMKilled. */
  oomKilled?: boolean | undefined;
  /** From `docker inspect` State.Error. */
  containerError?: string | undefined;
  /** One human sentence, e.g. "container was OOMKilled (memory limit 64m)" or "exited with code 1". */
  reason: string;
  /** The last stderr lines before the exit (bounded). */
  stderrTail: string[];
}

/** One progress event of an image pull, per layer. */
export interface PullProgress {
  image: string;
  layer?: string | undefined;
  /** The engine's status words: "Downloading", "Extracting", "Pull complete", ... */
  status: string;
  current?: number | undefined;
  total?: number | undefined;
}

/** An image pull as a whole: what a `pulling` server shows. */
export interface PullStatus {
  image: string;
  startedAt: Date;
  /** Layers seen so far, and how many of them are complete. */
  layers: number;
  layersDone: number;
  /** Downloaded bytes of the layers whose size is known, and their total. */
  bytesDone: number;
  bytesTotal: number;
  /** The engine's latest status words. */
  status: string;
}

/** How to run the container engine CLI. */
export interface DockerCliOptions {
  /** Binary to run, default "docker" (podman works where CLI-compatible). */
  command?: string | undefined;
  /** Extra environment for the CLI, e.g. { DOCKER_HOST: "unix:///..." }. */
  env?: Record<string, string | undefined> | undefined;
}

/** What `docker context` / `DOCKER_HOST` point at, and whether the engine answers. */
export interface EngineInfo {
  reachable: boolean;
  /** Current docker context name, when known ("default", "colima", ...). */
  context?: string | undefined;
  /** Endpoint the CLI talks to, e.g. "unix:///var/run/docker.sock". */
  endpoint?: string | undefined;
  serverVersion?: string | undefined;
  /** When unreachable: a sentence naming the endpoint and the fix. */
  error?: string | undefined;
}

/** A container labelled as started by MCPProxy. */
export interface ManagedContainer {
  id: string;
  name: string;
  image: string;
  /** "running", "exited", ... */
  state: string;
  status: string;
  serverName?: string | undefined;
  instanceId?: string | undefined;
  labels: Record<string, string>;
}

/** Restart policy for crashed servers. */
export interface RestartPolicy {
  /** Consecutive crashes allowed before the state becomes `failed`. Default 5. */
  maxRestarts?: number | undefined;
  /** First backoff delay; doubles per consecutive crash. Default 500 ms. */
  initialDelayMs?: number | undefined;
  /** Backoff cap. Default 30 s. */
  maxDelayMs?: number | undefined;
  /** Running this long without a crash resets the consecutive-crash count. Default 60 s. */
  stableAfterMs?: number | undefined;
}

/** Minimal structured logger (pino-compatible subset). */
export interface LifecycleLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Events of a ServerHandle. */
export interface ServerHandleEvents {
  state: [state: ServerState, previous: ServerState];
  /** Each stderr line of the server (its log), without the newline. */
  stderr: [line: string];
  /** Non-JSON stdout line that was dropped instead of breaking the session. */
  "stdout-garbage": [line: string];
  /** A new connected + initialized client after a (re)start. */
  ready: [client: Client];
  exit: [info: ExitInfo];
  /** While `pulling`: the whole (shared) pull's progress. */
  pull: [status: PullStatus];
}
export type { Client, Transport };

/** Options of startServer / ServerManager. */
export interface StartServerOptions {
  /** Id of this proxy process; goes into container labels so orphans can be found later. */
  instanceId: string;
  /** Hash of the server's effective settings; goes into a label. */
  configHash?: string | undefined;
  docker?: DockerCliOptions | undefined;
  logger?: LifecycleLogger | undefined;
  restart?: RestartPolicy | undefined;
  /** Wait after closing stdin before `docker stop` / SIGTERM. Default 2 s. */
  stopGraceMs?: number | undefined;
  /** clientInfo sent in `initialize`. */
  clientInfo?: { name: string; version: string } | undefined;
  /** Pull a missing image (with `pull` events) instead of failing at once. Default true. */
  pullMissingImage?: boolean | undefined;
  /**
   * How containers are started: "api" (default) creates and attaches them through
   * the Engine API, no `docker` process per server; servers that need the CLI
   * (see docker-args' `needsCli`) still get it, with the reason logged. "cli":
   * always `docker run -i`.
   */
  containerLaunch?: "api" | "cli" | undefined;
}

/**
 * A started upstream server, isolated in a container or a plain child process:
 * the same handle either way. While `state === "ready"`, `client` is an SDK
 * Client that completed `initialize` over `transport`.
 */
export interface ServerHandle {
  readonly name: string;
  readonly isolated: boolean;
  readonly state: ServerState;
  readonly client: Client | undefined;
  readonly transport: Transport | undefined;
  /** Set for isolated servers once the container exists (id from --cidfile, not guessed). */
  readonly container: { id: string; name: string; image: string } | undefined;
  /** The `docker run` argv (without the binary) of the current container, for logs and doctor. */
  readonly dockerArgv: readonly string[] | undefined;
  /** How the current container was started: through the Engine API or a `docker run` CLI. */
  readonly launchedVia: "api" | "cli" | undefined;
  readonly lastExit: ExitInfo | undefined;
  /** The last start/crash error, typed (see LifecycleError). */
  readonly lastError: Error | undefined;
  /** Restarts since the last stable period. */
  readonly restarts: number;
  /** While `pulling`: the image pull's progress (layers, bytes). */
  readonly pull: PullStatus | undefined;
  /** While the engine does not answer (the server comes back when it does): the engine's error. */
  readonly engineUnreachable: string | undefined;
  /** The last exited container, kept for `docker logs`/`docker inspect` until the next start or stop. */
  readonly keptContainer: string | undefined;
  /** Recent stderr lines (bounded ring buffer). */
  recentStderr(limit?: number): string[];
  on<E extends keyof ServerHandleEvents>(event: E, listener: (...args: ServerHandleEvents[E]) => void): this;
  off<E extends keyof ServerHandleEvents>(event: E, listener: (...args: ServerHandleEvents[E]) => void): this;
  once<E extends keyof ServerHandleEvents>(
    event: E,
    listener: (...args: ServerHandleEvents[E]) => void,
  ): this;
  /** Stop and start again (new container); resolves when ready, rejects with the start error. */
  restart(): Promise<void>;
  /** A `failed`/`restarting` server starts again now with a fresh restart budget; a no-op otherwise. */
  retry(): Promise<void>;
  /** Close stdin, grace period, docker stop, docker rm -f: leaves no container behind. Idempotent. */
  stop(): Promise<void>;
}
