// What a supervised server does after it crashed: count the crash, start again
// after an exponential backoff, give up after too many in a row; and when the
// engine is away, wait for it instead (the crashes it caused are refunded).
import { EngineWait } from "./engine-wait.ts";
import { errorMessage, LifecycleError } from "./errors.ts";
import type { EngineProbe } from "./launch-api.ts";
import { backoffDelay } from "./restart-policy.ts";
import type { LifecycleLogger, RestartPolicy, ServerState } from "./types.ts";

/** A crash this shortly before the engine is found unreachable is counted as the outage, not the server. */
const OUTAGE_CRASH_WINDOW_MS = 30_000;
/** How long an engine that is shutting down may still answer after killing its containers. */
const ENGINE_SETTLE_MS = 1_000;

/** The handle as the supervisor sees it. */
export interface SupervisedServer {
  readonly name: string;
  readonly logger: LifecycleLogger | undefined;
  /** Whether `generation` is still current (no stop or restart since) and the server may start again. */
  isCurrent(generation: number): boolean;
  setState(state: ServerState): void;
  /** Starts again in the background for `generation`. */
  relaunch(generation: number): void;
  /** Asks whether the engine answers. */
  probe(): Promise<EngineProbe>;
}

export class RestartSupervisor {
  readonly #server: SupervisedServer;
  readonly #policy: Required<RestartPolicy>;
  readonly #engineWait: EngineWait;
  #crashes = 0;
  #restarts = 0;
  /** When the crashes of the current streak happened: those just before an outage are refunded. */
  #crashTimes: number[] = [];
  #backoffTimer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;

  constructor(server: SupervisedServer, policy: Required<RestartPolicy>) {
    this.#server = server;
    this.#policy = policy;
    this.#engineWait = new EngineWait(server.name, () => server.probe(), server.logger);
  }

  /** Restarts since the last stable run or reset. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Why the server waits for the engine, while it does. */
  get engineUnreachable(): string | undefined {
    return this.#engineWait.reason;
  }

  /** A fresh crash budget (restart() and retry() asked for by someone). */
  reset(): void {
    this.#crashes = 0;
    this.#restarts = 0;
    this.#crashTimes = [];
  }

  /** A start succeeded: once it stays up for `stableAfterMs`, the budget is fresh again. */
  started(): void {
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => this.reset(), this.#policy.stableAfterMs);
    this.#stableTimer.unref();
  }

  /** The server ended (or is being stopped): it did not stay up. */
  ended(): void {
    clearTimeout(this.#stableTimer);
  }

  /** Stops every pending restart and the wait for the engine. */
  cancel(): void {
    this.#engineWait.cancel();
    clearTimeout(this.#backoffTimer);
    clearTimeout(this.#stableTimer);
  }

  /** Counts a crash; starts again after the backoff delay, or gives up. */
  crashed(generation: number): void {
    this.#crashes += 1;
    this.#crashTimes.push(Date.now());
    const delay = backoffDelay(this.#policy, this.#crashes);
    this.#server.setState("restarting");
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
      if (this.#server.isCurrent(generation)) this.#server.relaunch(generation);
    }, delay);
  }

  /** The engine does not answer: not a crash; start again when it does. */
  engineAway(generation: number, error: LifecycleError): void {
    // Containers the engine took down as it went away (and restarts that met it
    // shutting down) looked like crashes a moment ago: they were the outage.
    const now = Date.now();
    const refunded = this.#crashTimes.filter((at) => now - at < OUTAGE_CRASH_WINDOW_MS).length;
    this.#crashes = Math.max(0, this.#crashes - refunded);
    this.#restarts = Math.max(0, this.#restarts - refunded);
    this.#crashTimes = [];
    this.#server.setState("restarting");
    this.#engineWait.start(error.shortMessage, () => {
      if (this.#server.isCurrent(generation)) this.#server.relaunch(generation);
    });
  }

  async #giveUpUnlessEngineAway(generation: number): Promise<void> {
    if (!this.#server.isCurrent(generation)) return;
    const probe = await this.#server.probe();
    if (!this.#server.isCurrent(generation)) return;
    if (!probe.reachable) {
      const reason = probe.error ?? "the Docker engine does not answer";
      this.engineAway(generation, new LifecycleError("ENGINE_UNREACHABLE", reason, { phase: "engine" }));
      return;
    }
    this.#server.setState("failed");
    this.#server.logger?.error(
      { server: this.#server.name, crashes: this.#crashes },
      `server ${this.#server.name} failed ${this.#crashes} times in a row; not restarting it`,
    );
  }

  #internalError(error: unknown): void {
    const name = this.#server.name;
    this.#server.logger?.error({ server: name, err: error }, `server ${name}: ${errorMessage(error)}`);
  }
}
