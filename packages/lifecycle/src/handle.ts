// The supervised server: a ServerHandle that starts, watches for crashes,
// restarts with exponential backoff, gives up after too many consecutive
// crashes, and stops leaving nothing behind.
import { EventEmitter } from "node:events";
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { attemptStart, type AttemptHooks, type Running } from "./attempt.ts";
import { asLifecycleError, errorMessage, stoppedError, type LifecycleError } from "./errors.ts";
import { probeEngine } from "./launch-api.ts";
import { stopLaunched } from "./launch.ts";
import type { Limiter } from "./limiter.ts";
import { RingBuffer } from "./lines.ts";
import { PendingRemovals } from "./pending-removals.ts";
import { resolveRestartPolicy } from "./restart-policy.ts";
import { exitedError, settleServerExit } from "./server-exit.ts";
import { RestartSupervisor } from "./supervisor.ts";
import type {
  ExitInfo,
  PullStatus,
  ServerHandle,
  ServerHandleEvents,
  ServerState,
  StartServerOptions,
} from "./types.ts";

export const DEFAULT_STOP_GRACE_MS = 2_000;
const STDERR_RING_LINES = 500;

export class ManagedServer extends EventEmitter<ServerHandleEvents> implements ServerHandle {
  readonly name: string;
  readonly isolated: boolean;
  readonly #server: ServerConfig;
  readonly #isolation: IsolationResolution;
  readonly #options: StartServerOptions;
  readonly #limiter: Limiter | undefined;
  readonly #stderr = new RingBuffer<string>(STDERR_RING_LINES);
  /** This server's containers whose removal failed (engine away); retried until they are gone. */
  readonly #pendingRemovals: PendingRemovals;

  #state: ServerState = "stopped";
  #running: Running | undefined;
  #container: { id: string; name: string; image: string } | undefined;
  #dockerArgv: string[] | undefined;
  #plan: { containerName: string; image: string } | undefined;
  #lastExit: ExitInfo | undefined;
  #lastError: Error | undefined;
  /** Bumped by stop()/restart(): continuations of an older generation do nothing. */
  #generation = 0;
  #attemptAbort: AbortController | undefined;
  #inFlight: Promise<unknown> | undefined;
  #crashCleanup: Promise<unknown> | undefined;
  #stopping: Promise<void> | undefined;
  /** Removed from its manager, or the proxy stops: it never starts again. */
  #disposed = false;
  /** restart/retry/dispose run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #pull: PullStatus | undefined;
  /** The last exited container, kept for `docker logs`/`inspect` until the next start or stop. */
  #keptContainer: string | undefined;
  readonly #supervisor: RestartSupervisor;
  /** Someone holds this handle (started supervised, or a first start succeeded): failed attempts may keep their container. */
  #handedOut = false;

  constructor(
    server: ServerConfig,
    isolation: IsolationResolution,
    options: StartServerOptions,
    limiter?: Limiter,
  ) {
    super();
    this.name = server.name;
    this.isolated = isolation.enabled;
    this.#server = server;
    this.#isolation = isolation;
    this.#options = options;
    this.#limiter = limiter;
    this.#pendingRemovals = new PendingRemovals(options.docker, options.logger, options.containerLaunch);
    this.#supervisor = new RestartSupervisor(
      {
        name: server.name,
        logger: options.logger,
        isCurrent: (generation) => generation === this.#generation && !this.#disposed,
        setState: (state) => this.#setState(state),
        relaunch: (generation) =>
          void this.#supervisedLaunch(generation).catch((error: unknown) => this.#internalError(error)),
        probe: () => probeEngine(options.docker, options.containerLaunch),
      },
      resolveRestartPolicy(options.restart),
    );
  }

  get state(): ServerState {
    return this.#state;
  }
  get client(): Client | undefined {
    return this.#state === "ready" ? this.#running?.client : undefined;
  }
  get transport(): Transport | undefined {
    return this.#state === "ready" ? this.#running?.launched.transport : undefined;
  }
  get container(): { id: string; name: string; image: string } | undefined {
    return this.#container;
  }
  get launchedVia(): "api" | "cli" | undefined {
    return this.#running?.launchedVia;
  }

  get dockerArgv(): readonly string[] | undefined {
    return this.#dockerArgv;
  }
  get lastExit(): ExitInfo | undefined {
    return this.#lastExit;
  }
  get lastError(): Error | undefined {
    return this.#lastError;
  }
  get restarts(): number {
    return this.#supervisor.restarts;
  }
  get pull(): PullStatus | undefined {
    return this.#state === "pulling" ? this.#pull : undefined;
  }
  get engineUnreachable(): string | undefined {
    return this.#supervisor.engineUnreachable;
  }
  get keptContainer(): string | undefined {
    return this.#keptContainer;
  }

  recentStderr(limit?: number): string[] {
    return this.#stderr.toArray(limit);
  }

  /** First start for startServer(): resolves when ready; on failure the state is `failed` and it rejects. */
  async startOnce(): Promise<void> {
    const generation = ++this.#generation;
    try {
      await this.#launch(generation);
    } catch (error) {
      const failure = asLifecycleError(error, this.name);
      if (generation === this.#generation) this.#fail(failure);
      throw failure;
    }
  }

  /** Start in the background (ServerManager.add): failures follow the restart policy. */
  startSupervised(): void {
    if (this.#disposed) return;
    this.#handedOut = true;
    const generation = ++this.#generation;
    void this.#supervisedLaunch(generation).catch((error: unknown) => this.#internalError(error));
  }

  /** A listener threw or a cleanup step failed outside any caller's promise: log it, never crash the proxy. */
  #internalError(error: unknown): void {
    this.#options.logger?.error(
      { server: this.name, err: error },
      `server ${this.name}: ${errorMessage(error)}`,
    );
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #refuseDisposed(): void {
    if (this.#disposed) {
      throw stoppedError(this.name, "it was removed or the proxy is stopping");
    }
  }

  restart(): Promise<void> {
    return this.#serial(async () => {
      this.#refuseDisposed();
      await this.stop();
      this.#refuseDisposed();
      this.#supervisor.reset();
      await this.startOnce();
    });
  }

  /** A `failed` or `restarting` server starts again now, with a fresh crash budget; others are left alone. */
  retry(): Promise<void> {
    return this.#serial(async () => {
      if (this.#disposed || (this.#state !== "failed" && this.#state !== "restarting")) return;
      await this.stop();
      if (this.#disposed) return;
      this.#supervisor.reset();
      this.startSupervised();
    });
  }

  /** Stops for good: no restart, retry or backoff timer starts it again. */
  dispose(): Promise<void> {
    this.#disposed = true;
    return this.stop();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#generation += 1;
    this.#supervisor.cancel();
    const busy =
      this.#running !== undefined || this.#inFlight !== undefined || this.#crashCleanup !== undefined;
    if (busy) this.#setState("stopping");
    this.#attemptAbort?.abort();
    await this.#inFlight;
    const running = this.#running;
    this.#running = undefined;
    if (running !== undefined) {
      await stopLaunched(
        running.launched,
        this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
        this.#options.docker,
        this.#pendingRemovals,
      );
      await running.client.close().catch(() => undefined);
    }
    await this.#crashCleanup;
    this.#container = undefined;
    this.#dropKeptContainer();
    await this.#pendingRemovals.drain();
    this.#setState("stopped");
  }

  #setState(next: ServerState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#options.logger?.debug({ server: this.name, state: next, previous }, "server state");
    this.emit("state", next, previous);
  }

  #fail(error: LifecycleError): void {
    this.#lastError = error;
    if (error.exit !== undefined) this.#lastExit = error.exit;
    this.#setState("failed");
    this.#options.logger?.error(
      { server: this.name, code: error.code, phase: error.phase },
      error.shortMessage,
    );
  }

  #launch(generation: number): Promise<void> {
    const promise = this.#launchOnce(generation);
    const settled = promise.catch(() => undefined);
    this.#inFlight = settled;
    void settled.then(() => {
      if (this.#inFlight === settled) this.#inFlight = undefined;
    });
    return promise;
  }

  /** The kept exited container goes (through the removal queue, which retries while the engine is away). */
  #dropKeptContainer(): void {
    if (this.#keptContainer === undefined) return;
    this.#pendingRemovals.add(this.#keptContainer, undefined);
    this.#keptContainer = undefined;
  }

  /** What an attempt reports back: phases (pulling), pull progress, output, the plan and container, a kept exit. */
  #attemptHooks(generation: number): AttemptHooks {
    return {
      onPhase: (phase) => {
        if (generation !== this.#generation) return;
        if (phase === "image") this.#setState("pulling");
        else if (this.#state === "pulling") this.#setState("starting");
      },
      onPull: (status) => {
        this.#pull = status;
        this.emit("pull", status);
      },
      onKeep: this.#handedOut
        ? (id) => {
            this.#keptContainer = id;
          }
        : undefined,
      onStderr: (line) => {
        this.#stderr.push(line);
        this.emit("stderr", line);
      },
      onGarbage: (line) => {
        this.#options.logger?.warn(
          { server: this.name, line },
          "dropped a non-JSON line on the server's stdout",
        );
        this.emit("stdout-garbage", line);
      },
      onPlan: (plan) => {
        this.#plan = plan;
        this.#dockerArgv = plan.dockerArgv;
      },
      onContainer: (id) => {
        if (this.#plan !== undefined)
          this.#container = { id, name: this.#plan.containerName, image: this.#plan.image };
      },
      onCloseRequested: () => this.#closedFromOutside(generation),
      pending: this.#pendingRemovals,
    };
  }

  async #launchOnce(generation: number): Promise<void> {
    if (this.#disposed) {
      throw stoppedError(this.name, "it was removed or the proxy is stopping");
    }
    this.#setState("starting");
    const abort = new AbortController();
    this.#attemptAbort = abort;
    let running: Running;
    try {
      const release = await this.#limiter?.acquire(abort.signal).catch(() => {
        throw stoppedError(this.name, "the server is being stopped");
      });
      // The kept exited container and those left over while the engine was away go before a new one starts.
      this.#dropKeptContainer();
      await this.#pendingRemovals.retry();
      try {
        running = await attemptStart(
          this.#server,
          this.#isolation,
          this.#options,
          abort.signal,
          this.#attemptHooks(generation),
        );
      } catch (error) {
        this.#container = undefined; // the failed attempt removed it
        throw error;
      } finally {
        release?.();
      }
    } finally {
      if (this.#attemptAbort === abort) this.#attemptAbort = undefined;
    }
    if (generation !== this.#generation) {
      await stopLaunched(running.launched, 0, this.#options.docker, this.#pendingRemovals);
      this.#container = undefined;
      throw stoppedError(this.name, "the server is being stopped");
    }
    this.#running = running;
    this.#handedOut = true;
    const plan = running.launched.plan;
    if (plan !== undefined && running.launched.containerId !== undefined) {
      this.#container = { id: running.launched.containerId, name: plan.containerName, image: plan.image };
    }
    void running.launched.ended
      .then(() => this.#onExit(generation, running))
      .catch((error: unknown) => this.#internalError(error));
    this.#setState("ready");
    this.#options.logger?.info({ server: this.name, container: this.#container?.id }, "server ready");
    this.#supervisor.started();
    this.emit("ready", running.client);
  }

  async #supervisedLaunch(generation: number): Promise<void> {
    try {
      await this.#launch(generation);
    } catch (error) {
      if (generation !== this.#generation) return;
      const failure = asLifecycleError(error, this.name);
      this.#lastError = failure;
      if (failure.exit !== undefined) {
        this.#lastExit = failure.exit;
        this.emit("exit", failure.exit);
      }
      this.#options.logger?.warn(
        { server: this.name, code: failure.code, phase: failure.phase },
        failure.shortMessage,
      );
      if (failure.code === "ENGINE_UNREACHABLE") this.#supervisor.engineAway(generation, failure);
      else if (failure.code !== "STOPPED") this.#supervisor.crashed(generation);
    }
  }

  /** The server process/container ended while ready. */
  async #onExit(generation: number, running: Running): Promise<void> {
    if (generation !== this.#generation || this.#running !== running) return;
    this.#running = undefined;
    this.#supervisor.ended();
    const settling = settleServerExit(running.launched, {
      docker: this.#options.docker,
      memoryLimit: this.#isolation.enabled ? this.#isolation.memory_limit : undefined,
      pending: this.#pendingRemovals,
    });
    this.#crashCleanup = settling;
    const { info, kept, engineGone } = await settling;
    if (kept !== undefined && generation === this.#generation) this.#keptContainer = kept;
    this.#crashCleanup = undefined;
    this.#container = undefined;
    await running.client.close().catch(() => undefined);
    if (generation !== this.#generation) return;
    this.#lastExit = info;
    this.#lastError = exitedError(this.name, info);
    this.#options.logger?.warn(
      { server: this.name, exitCode: info.exitCode, oomKilled: info.oomKilled },
      info.reason,
    );
    this.emit("exit", info);
    if (engineGone !== undefined) this.#supervisor.engineAway(generation, engineGone);
    else this.#supervisor.crashed(generation);
  }

  /** Someone closed the client/transport while ready: the server is stopped (no container is left behind). */
  #closedFromOutside(generation: number): void {
    if (generation !== this.#generation || this.#state !== "ready") return;
    this.#options.logger?.info({ server: this.name }, "the client closed the transport: stopping the server");
    void this.stop();
  }
}
