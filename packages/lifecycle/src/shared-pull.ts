// One pull per missing image, however many servers wait for it, outside their
// startup timeouts and under its own limit (docker_isolation.pull_timeout). The
// per-layer events are folded into one PullStatus (layers and bytes) that every
// waiting server shows while it is `pulling`.
import { DEFAULT_PULL_TIMEOUT, parseDuration } from "@mcpproxy/config";
import { endpointKey } from "./docker-cli.ts";
import { LifecycleError } from "./errors.ts";
import { pullImage } from "./pull.ts";
import type { DockerCliOptions, PullProgress, PullStatus } from "./types.ts";

/** When docker_isolation.pull_timeout is not given (the config's default, in ms). */
export const DEFAULT_PULL_TIMEOUT_MS = parseDuration(DEFAULT_PULL_TIMEOUT);

interface LayerState {
  current: number;
  total: number | undefined;
  done: boolean;
}

const DOWNLOADED = /^(?:download complete|verifying checksum|extracting|pull complete|already exists)$/i;
const LAYER_DONE = /^(?:pull complete|already exists)$/i;

/** Folds per-layer progress events into layer and byte counts. */
export class PullTracker {
  readonly #image: string;
  readonly #layers = new Map<string, LayerState>();
  readonly #startedAt = new Date();
  #status = "starting";

  constructor(image: string) {
    this.#image = image;
  }

  add(event: PullProgress): void {
    this.#status = event.status;
    if (event.layer === undefined) return;
    const layer = this.#layers.get(event.layer) ?? { current: 0, total: undefined, done: false };
    if (/^downloading$/i.test(event.status)) {
      if (event.current !== undefined) layer.current = event.current;
      if (event.total !== undefined) layer.total = event.total;
    } else if (DOWNLOADED.test(event.status) && layer.total !== undefined) {
      layer.current = layer.total;
    }
    if (LAYER_DONE.test(event.status)) layer.done = true;
    this.#layers.set(event.layer, layer);
  }

  status(): PullStatus {
    let bytesDone = 0;
    let bytesTotal = 0;
    let layersDone = 0;
    for (const layer of this.#layers.values()) {
      bytesDone += layer.current;
      bytesTotal += layer.total ?? 0;
      if (layer.done) layersDone += 1;
    }
    return {
      image: this.#image,
      startedAt: this.#startedAt,
      layers: this.#layers.size,
      layersDone,
      bytesDone,
      bytesTotal,
      status: this.#status,
    };
  }
}

interface SharedPull {
  tracker: PullTracker;
  done: Promise<void>;
  listeners: Set<(status: PullStatus) => void>;
  waiters: number;
  abort: AbortController;
}

const pulls = new Map<string, SharedPull>();

export interface SharedPullOptions {
  docker?: DockerCliOptions | undefined;
  timeoutMs?: number | undefined;
  /** This waiter gives up (the pull goes on while others wait; alone, it is abandoned). */
  signal?: AbortSignal | undefined;
  onProgress?: ((status: PullStatus) => void) | undefined;
}

function startPull(
  key: string,
  image: string,
  docker: DockerCliOptions | undefined,
  timeoutMs: number,
): SharedPull {
  const tracker = new PullTracker(image);
  const abort = new AbortController();
  const listeners = new Set<(status: PullStatus) => void>();
  const timer = setTimeout(() => {
    abort.abort(
      new LifecycleError(
        "IMAGE_PULL_FAILED",
        `cannot pull image ${image}: the pull did not finish within ${Math.round(timeoutMs / 1000)} s (docker_isolation.pull_timeout); raise it for large images or slow networks`,
        { phase: "image", image },
      ),
    );
  }, timeoutMs);
  const done = pullImage(image, {
    docker,
    signal: abort.signal,
    onProgress: (event) => {
      tracker.add(event);
      const status = tracker.status();
      for (const listener of listeners) listener(status);
    },
  }).finally(() => {
    clearTimeout(timer);
    if (pulls.get(key)?.done === done) pulls.delete(key);
  });
  done.catch(() => undefined);
  const shared: SharedPull = { tracker, done, listeners, waiters: 0, abort };
  pulls.set(key, shared);
  return shared;
}

/**
 * Pulls `image`, sharing one pull among all callers on the same engine. Resolves
 * when the image is present; rejects with IMAGE_PULL_FAILED (the registry's words,
 * or the pull limit), ENGINE_UNREACHABLE, or this caller's `signal` reason.
 */
export async function sharedPull(image: string, options: SharedPullOptions = {}): Promise<void> {
  const key = `${endpointKey(options.docker)}|${image}`;
  const pull =
    pulls.get(key) ?? startPull(key, image, options.docker, options.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS);
  pull.waiters += 1;
  const listener = options.onProgress;
  if (listener !== undefined) {
    pull.listeners.add(listener);
    listener(pull.tracker.status());
  }
  const signal = options.signal;
  let onAbort: (() => void) | undefined;
  try {
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new Error(String(reason)));
      };
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    await Promise.race([pull.done, aborted]);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    if (listener !== undefined) pull.listeners.delete(listener);
    pull.waiters -= 1;
    // Nobody waits any more (every server stopped): the pull is abandoned.
    if (pull.waiters === 0 && pulls.get(key) === pull)
      pull.abort.abort(new Error(`pull of ${image} abandoned`));
  }
}
