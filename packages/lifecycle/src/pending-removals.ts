// Containers whose `docker rm -f` failed (typically: the engine was unreachable
// when the server ended). They are retried in the background with backoff, before
// each (re)start attempt, and for a bounded time when the server is stopped; what
// is still left then is logged with the command that removes it.
import { setTimeout as sleep } from "node:timers/promises";
import { removeContainers } from "./containers.ts";
import { engineSeemsHung } from "./docker-cli.ts";
import type { EngineMethod } from "./engine-route.ts";
import { errorMessage } from "./errors.ts";
import type { DockerCliOptions, LifecycleLogger } from "./types.ts";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** How long stop() keeps retrying before giving up. */
export const DEFAULT_REMOVAL_DRAIN_MS = 5_000;

export class PendingRemovals {
  readonly #docker: DockerCliOptions | undefined;
  readonly #method: EngineMethod | undefined;
  readonly #logger: LifecycleLogger | undefined;
  readonly #targets = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #delayMs = FIRST_RETRY_MS;
  #retrying: Promise<void> | undefined;

  constructor(
    docker: DockerCliOptions | undefined,
    logger: LifecycleLogger | undefined,
    method?: EngineMethod,
  ) {
    this.#docker = docker;
    this.#method = method;
    this.#logger = logger;
  }

  /** Container ids/names still waiting for removal. */
  get targets(): string[] {
    return [...this.#targets];
  }

  /** Records a container to remove (its removal failed: `error`; or it was kept until now) and schedules a retry. */
  add(target: string, error?: unknown): void {
    this.#targets.add(target);
    if (error !== undefined) {
      this.#logger?.warn(
        { container: target, err: error },
        `removing container ${target} failed (${errorMessage(error)}); retrying when the engine answers again`,
      );
    }
    this.#delayMs = FIRST_RETRY_MS;
    this.#schedule();
  }

  /** One removal attempt for every pending container; never throws. */
  retry(): Promise<void> {
    this.#retrying ??= this.#retryOnce().finally(() => {
      this.#retrying = undefined;
    });
    return this.#retrying;
  }

  async #retryOnce(): Promise<void> {
    const targets = [...this.#targets];
    if (targets.length === 0) return;
    try {
      await removeContainers(targets, { docker: this.#docker, method: this.#method });
    } catch {
      return;
    }
    for (const target of targets) this.#targets.delete(target);
    this.#logger?.info({ containers: targets }, "removed containers left over while the engine was away");
  }

  /** Retries with backoff for up to `timeoutMs`, then logs what is left and how to remove it. */
  async drain(timeoutMs = DEFAULT_REMOVAL_DRAIN_MS): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const deadline = Date.now() + timeoutMs;
    let delay = 250;
    for (;;) {
      await this.retry();
      const left = deadline - Date.now();
      // A hung engine will not answer within a shutdown: one attempt, then say what is left.
      if (this.#targets.size === 0 || left <= 0 || engineSeemsHung(this.#docker)) break;
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 2_000);
    }
    if (this.#targets.size === 0) return;
    const targets = this.targets;
    this.#logger?.error(
      { containers: targets },
      `could not remove ${targets.length} container(s) (the engine does not answer): ${targets.join(", ")}; ` +
        `remove them with \`docker rm -f ${targets.join(" ")}\` (the next proxy start also sweeps them)`,
    );
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#targets.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.retry().then(() => {
        this.#delayMs = Math.min(this.#delayMs * 2, MAX_RETRY_MS);
        this.#schedule();
      });
    }, this.#delayMs);
    this.#timer.unref();
  }
}
