// A server whose container runs from a prepared image: first `preparing`
// (build or reuse `mcpproxy-prepared/<server>:<hash>`, outside the startup
// timeout, like an image pull), then the lifecycle handle of the prepared
// image, whose state, events and errors this handle passes through. A failed
// prepare is `failed` with the PrepareError (installer lines, fix); retry and
// restart prepare again.
import { EventEmitter } from "node:events";
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import type {
  Client,
  ExitInfo,
  PreparedImage,
  PrepareImageOptions,
  PrepareProgress,
  PullStatus,
  ServerHandle,
  ServerHandleEvents,
  ServerState,
  Transport,
} from "@mcpproxy/lifecycle";
import { PrepareError, type PackageSpec } from "@mcpproxy/prepare";

/** Builds or reuses the prepared image (lifecycle's ensurePreparedImage in production). */
export type EnsurePrepared = (options: PrepareImageOptions) => Promise<PreparedImage>;

export interface PreparedHandleOptions {
  server: ServerConfig;
  isolation: EffectiveIsolation;
  spec: PackageSpec;
  /** The runtime image the build starts FROM (runtime-detect's resolveImage). */
  baseImage: string;
  ensure: EnsurePrepared;
  /** Adds the lifecycle handle of the prepared image (the wrapped manager's add). */
  addPrepared(server: ServerConfig, isolation: EffectiveIsolation): ServerHandle;
  /** Removes that lifecycle handle (the wrapped manager's remove). */
  removePrepared(name: string): Promise<void>;
  prepareOptions?: Partial<PrepareImageOptions> | undefined;
}

/** What a `preparing` server shows (REST, CLI, SSE). */
export interface PrepareStatus {
  tag: string;
  phase: PrepareProgress["phase"];
  step: number | undefined;
  totalSteps: number | undefined;
  message: string;
  startedAt: Date;
}

const FORWARDED = ["stderr", "stdout-garbage", "ready", "exit", "pull"] as const;

export class PreparedServerHandle extends EventEmitter<ServerHandleEvents> implements ServerHandle {
  readonly name: string;
  readonly isolated = true;
  readonly #options: PreparedHandleOptions;
  readonly #prepareListeners = new Set<(progress: PrepareProgress) => void>();
  #inner: ServerHandle | undefined;
  #detachInner: (() => void) | undefined;
  #state: ServerState = "stopped";
  #status: PrepareStatus | undefined;
  #image: PreparedImage | undefined;
  #error: Error | undefined;
  #abort: AbortController | undefined;
  #run: Promise<void> | undefined;
  #disposed = false;

  constructor(options: PreparedHandleOptions) {
    super();
    this.name = options.server.name;
    this.#options = options;
  }

  get state(): ServerState {
    return this.#inner?.state ?? this.#state;
  }
  get client(): Client | undefined {
    return this.#inner?.client;
  }
  get transport(): Transport | undefined {
    return this.#inner?.transport;
  }
  get container(): ServerHandle["container"] {
    return this.#inner?.container;
  }
  get dockerArgv(): readonly string[] | undefined {
    return this.#inner?.dockerArgv;
  }
  get lastExit(): ExitInfo | undefined {
    return this.#inner?.lastExit;
  }
  get lastError(): Error | undefined {
    return this.#inner === undefined ? this.#error : this.#inner.lastError;
  }
  get restarts(): number {
    return this.#inner?.restarts ?? 0;
  }
  get pull(): PullStatus | undefined {
    return this.#inner?.pull;
  }
  get engineUnreachable(): string | undefined {
    return this.#inner?.engineUnreachable;
  }
  get keptContainer(): string | undefined {
    return this.#inner?.keptContainer;
  }
  get launchedVia(): "api" | "cli" | undefined {
    return this.#inner?.launchedVia;
  }
  /** While `preparing`: the build's progress. */
  get prepareStatus(): PrepareStatus | undefined {
    return this.state === "preparing" ? this.#status : undefined;
  }
  /** The prepared image this server runs (tag, id, pinned labels), once known. */
  get preparedImage(): PreparedImage | undefined {
    return this.#image;
  }
  /** The package spec parsed from the server's command. */
  get spec(): PackageSpec {
    return this.#options.spec;
  }

  recentStderr(limit?: number): string[] {
    return this.#inner?.recentStderr(limit) ?? [];
  }

  /** Every progress event of this server's prepares. Returns the unsubscribe function. */
  onPrepare(listener: (progress: PrepareProgress) => void): () => void {
    this.#prepareListeners.add(listener);
    return () => this.#prepareListeners.delete(listener);
  }

  /** Prepares in the background, then starts the prepared image (supervised by lifecycle). */
  start(): void {
    this.#run ??= this.#prepareAndAdd().finally(() => {
      this.#run = undefined;
    });
  }

  async restart(): Promise<void> {
    if (this.#inner !== undefined) return this.#inner.restart();
    this.start();
    await this.#run;
    await this.#untilSettled();
  }

  async retry(): Promise<void> {
    if (this.#inner !== undefined) return this.#inner.retry();
    if (this.#state === "failed") this.start();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#abort?.abort(new Error(`server ${this.name} is being stopped`));
    await this.#run;
    if (this.#inner !== undefined) await this.#inner.stop();
    this.#setState("stopped");
  }

  /** Stops for good and removes the lifecycle handle. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#abort?.abort(new Error(`server ${this.name} was removed`));
    await this.#run;
    this.#detachInner?.();
    if (this.#inner !== undefined) await this.#options.removePrepared(this.name);
    this.#setState("stopped");
  }

  #setState(next: ServerState): void {
    const previous = this.#state;
    if (previous === next || this.#inner !== undefined) return;
    this.#state = next;
    this.emit("state", next, previous);
  }

  #progress(progress: PrepareProgress, startedAt: Date): void {
    this.#status = {
      tag: progress.tag,
      phase: progress.phase,
      step: progress.step ?? this.#status?.step,
      totalSteps: progress.totalSteps ?? this.#status?.totalSteps,
      message: progress.message,
      startedAt,
    };
    for (const listener of this.#prepareListeners) listener(progress);
  }

  async #prepareAndAdd(): Promise<void> {
    if (this.#disposed) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#error = undefined;
    this.#status = undefined;
    const startedAt = new Date();
    this.#setState("preparing");
    const { server, spec, baseImage, isolation } = this.#options;
    try {
      const image = await this.#options.ensure({
        ...this.#options.prepareOptions,
        server: server.name,
        spec,
        baseImage,
        signal: abort.signal,
        onProgress: (progress) => this.#progress(progress, startedAt),
      });
      if (abort.signal.aborted || this.#disposed) return;
      this.#image = image;
      this.#attach(
        this.#options.addPrepared(
          { ...server, args: spec.args },
          { ...isolation, prepared_image: image.tag },
        ),
      );
    } catch (error) {
      if (abort.signal.aborted) return;
      this.#error =
        error instanceof Error
          ? error
          : new PrepareError("BUILD_FAILED", String(error), { server: server.name });
      this.#setState("failed");
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  /** Passes the lifecycle handle's events through, starting with the step out of `preparing`. */
  #attach(inner: ServerHandle): void {
    const previous = this.#state;
    this.#inner = inner;
    const onState = (state: ServerState, before: ServerState): void => {
      this.emit("state", state, before);
    };
    const forwards = FORWARDED.map((event) => {
      const listener = (...args: unknown[]): void => {
        (this.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
      };
      inner.on(event, listener);
      return () => inner.off(event, listener);
    });
    inner.on("state", onState);
    this.#detachInner = () => {
      inner.off("state", onState);
      for (const off of forwards) off();
    };
    if (inner.state !== previous) this.emit("state", inner.state, previous);
  }

  /** Resolves when ready; rejects with the error when the first start fails. */
  #untilSettled(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const state = this.state;
        if (state === "ready") resolve();
        else if (state === "failed" || state === "stopped" || state === "restarting")
          reject(this.lastError ?? new Error(`server ${this.name} is ${state}`));
        else return false;
        this.off("state", check);
        return true;
      };
      if (!check()) this.on("state", check);
    });
  }
}
