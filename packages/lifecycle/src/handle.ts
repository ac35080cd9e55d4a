// The supervised server: a ServerHandle that starts, watches for crashes,
// restarts with exponential backoff, gives up after too many consecutive
// crashes, and stops leaving nothing behind.
import { EventEmitter } from "node:events";
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { attemptStart, type AttemptHooks, type Running } from "./attempt.ts";
import { errorMessage, LifecycleError } from "./errors.ts";
import { EngineWait } from "./engine-wait.ts";
import { probeEngine } from "./launch-api.ts";
import { collectExit, stopLaunched } from "./launch.ts";
import type { Limiter } from "./limiter.ts";
import { RingBuffer } from "./lines.ts";
import { PendingRemovals } from "./pending-removals.ts";
import { backoffDelay, resolveRestartPolicy } from "./restart-policy.ts";
import type {
  ExitInfo,
  PullStatus,
  RestartPolicy,
  ServerHandle,
  ServerHandleEvents,
  ServerState,
  StartServerOptions,
} from "./types.ts";

export const DEFAULT_STOP_GRACE_MS = 2_000;
const STDERR_RING_LINES = 500;
/** A crash this shortly before the engine is found unreachable is counted as the outage, not the server. */
const OUTAGE_CRASH_WINDOW_MS = 30_000;
/** How long an engine that is shutting down may still answer after killing its containers. */
const ENGINE_SETTLE_MS = 1_000;

function asLifecycleError(error: unknown, serverName: string): LifecycleError {
  if (error instanceof LifecycleError) return error;
  return new LifecycleError("PROCESS_START_FAILED", `server ${serverName}: ${errorMessage(error)}`, {
    serverName,
    cause: error,
  });
}

function stoppedError(serverName: string, why: string): LifecycleError {
  return new LifecycleError("STOPPED", `start of ${serverName} abandoned: ${why}`, { serverName });
}

export class ManagedServer extends EventEmitter<ServerHandleEvents> implements ServerHandle {
  readonly name: string;
  readonly isolated: boolean;
  readonly #server: ServerConfig;
  readonly #isolation: IsolationResolution;
  readonly #options: StartServerOptions;
  readonly #policy: Required<RestartPolicy>;
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
  #crashes = 0;
  #restarts = 0;
  /** Bumped by stop()/restart(): continuations of an older generation do nothing. */
  #generation = 0;
  #attemptAbort: AbortController | undefined;
  #inFlight: Promise<unknown> | undefined;
  #crashCleanup: Promise<unknown> | undefined;
  #backoffTimer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  /** Removed from its manager, or the proxy stops: it never starts again. */
  #disposed = false;
  /** restart/retry/dispose run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #pull: PullStatus | undefined;
  /** The last exited container, kept for `docker logs`/`inspect` until the next start or stop. */
  #keptContainer: string | undefined;
  readonly #engineWait: EngineWait;
  /** Someone holds this handle (started supervised, or a first start succeeded): failed attempts may keep their container. */
  #handedOut = false;
  /** When the crashes of the current streak happened: those just before an outage are refunded. */
  #crashTimes: number[] = [];

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
    this.#engineWait = new EngineWait(
      server.name,
      () => probeEngine(options.docker, options.containerLaunch),
      options.logger,
    );
    this.#policy = resolveRestartPolicy(options.restart);
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
    return this.#restarts;
  }
  get pull(): PullStatus | undefined {
    return this.#state === "pulling" ? this.#pull : undefined;
  }
  get engineUnreachable(): string | undefined {
    return this.#engineWait.reason;
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
      this.#crashes = 0;
      this.#restarts = 0;
      this.#crashTimes = [];
      await this.startOnce();
    });
  }

  /** A `failed` or `restarting` server starts again now, with a fresh crash budget; others are left alone. */
  retry(): Promise<void> {
    return this.#serial(async () => {
      if (this.#disposed || (this.#state !== "failed" && this.#state !== "restarting")) return;
      await this.stop();
      if (this.#disposed) return;
      this.#crashes = 0;
      this.#restarts = 0;
      this.#crashTimes = [];
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
    this.#engineWait.cancel();
    clearTimeout(this.#backoffTimer);
    clearTimeout(this.#stableTimer);
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
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#crashes = 0;
      this.#restarts = 0;
      this.#crashTimes = [];
    }, this.#policy.stableAfterMs);
    this.#stableTimer.unref();
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
      if (failure.code === "ENGINE_UNREACHABLE") this.#waitForEngine(generation, failure);
      else if (failure.code !== "STOPPED") this.#afterCrash(generation);
    }
  }

  /** The server process/container ended while ready. */
  async #onExit(generation: number, running: Running): Promise<void> {
    if (generation !== this.#generation || this.#running !== running) return;
    this.#running = undefined;
    clearTimeout(this.#stableTimer);
    const cleanup = collectExit(running.launched, {
      docker: this.#options.docker,
      memoryLimit: this.#isolation.enabled ? this.#isolation.memory_limit : undefined,
      stderrTail: running.launched.transport.stderrTail(20),
      pending: this.#pendingRemovals,
      keep: true,
    });
    this.#crashCleanup = cleanup.catch(() => undefined);
    let info: ExitInfo;
    let engineGone: LifecycleError | undefined;
    try {
      const collected = await cleanup;
      info = collected.info;
      if (collected.kept !== undefined && generation === this.#generation)
        this.#keptContainer = collected.kept;
    } catch (error) {
      if (error instanceof LifecycleError && error.code === "ENGINE_UNREACHABLE") engineGone = error;
      const reason = `ended; inspecting it failed: ${errorMessage(error)}`;
      info = {
        at: new Date(),
        exitCode: null,
        reason,
        stderrTail: running.launched.transport.stderrTail(20),
      };
    } finally {
      this.#crashCleanup = undefined;
      this.#container = undefined;
      await running.client.close().catch(() => undefined);
    }
    if (generation !== this.#generation) return;
    this.#lastExit = info;
    this.#lastError = new LifecycleError("PROCESS_EXITED", `server ${this.name} ${info.reason}`, {
      serverName: this.name,
      stderrTail: info.stderrTail,
      exit: info,
    });
    this.#options.logger?.warn(
      { server: this.name, exitCode: info.exitCode, oomKilled: info.oomKilled },
      info.reason,
    );
    this.emit("exit", info);
    if (engineGone !== undefined) this.#waitForEngine(generation, engineGone);
    else this.#afterCrash(generation);
  }

  /** The engine does not answer: not a crash; start again when it does. */
  #waitForEngine(generation: number, error: LifecycleError): void {
    // Containers the engine took down as it went away (and restarts that met it
    // shutting down) looked like crashes a moment ago: they were the outage.
    const now = Date.now();
    const refunded = this.#crashTimes.filter((at) => now - at < OUTAGE_CRASH_WINDOW_MS).length;
    this.#crashes = Math.max(0, this.#crashes - refunded);
    this.#restarts = Math.max(0, this.#restarts - refunded);
    this.#crashTimes = [];
    this.#setState("restarting");
    this.#engineWait.start(error.shortMessage, () => {
      if (generation !== this.#generation || this.#disposed) return;
      void this.#supervisedLaunch(generation).catch((failure: unknown) => this.#internalError(failure));
    });
  }

  /** Counts a crash; restarts after the backoff delay, or gives up. */
  #afterCrash(generation: number): void {
    this.#crashes += 1;
    this.#crashTimes.push(Date.now());
    const delay = backoffDelay(this.#policy, this.#crashes);
    this.#setState("restarting");
    if (this.#crashes > this.#policy.maxRestarts) {
      // Before giving up: an engine that is shutting down kills its containers and
      // refuses restarts for a moment before it stops answering. Asked again once
      // that moment passed, an engine that is away makes this an outage, not a crash loop.
      this.#backoffTimer = setTimeout(
        () => {
          this.#backoffTimer = undefined;
          void this.#giveUpUnlessEngineAway(generation).catch((error: unknown) => this.#internalError(error));
        },
        Math.max(delay, ENGINE_SETTLE_MS),
      );
      return;
    }
    this.#restarts += 1;
    this.#backoffTimer = setTimeout(() => {
      this.#backoffTimer = undefined;
      if (generation === this.#generation) {
        void this.#supervisedLaunch(generation).catch((error: unknown) => this.#internalError(error));
      }
    }, delay);
  }

  async #giveUpUnlessEngineAway(generation: number): Promise<void> {
    if (generation !== this.#generation) return;
    const probe = await probeEngine(this.#options.docker, this.#options.containerLaunch);
    if (generation !== this.#generation) return;
    if (!probe.reachable) {
      const reason = probe.error ?? "the Docker engine does not answer";
      this.#waitForEngine(generation, new LifecycleError("ENGINE_UNREACHABLE", reason, { phase: "engine" }));
      return;
    }
    this.#setState("failed");
    this.#options.logger?.error(
      { server: this.name, crashes: this.#crashes },
      `server ${this.name} failed ${this.#crashes} times in a row; not restarting it`,
    );
  }

  /** Someone closed the client/transport while ready: the server is stopped (no container is left behind). */
  #closedFromOutside(generation: number): void {
    if (generation !== this.#generation || this.#state !== "ready") return;
    this.#options.logger?.info({ server: this.name }, "the client closed the transport: stopping the server");
    void this.stop();
  }
}
