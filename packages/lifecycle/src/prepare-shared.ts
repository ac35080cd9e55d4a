// One prepared-image build per content hash in this process, however many
// servers wait for it: each waiter gets the build's progress, and its own
// signal only withdraws that waiter; the build is canceled when the last
// waiter leaves (then the waiter also waits for the build to wind down, so its
// cleanup is done when it returns). Like shared-pull.ts for image pulls.
import { PrepareError } from "@mcpproxy/prepare";

interface SharedBuild<P, T> {
  done: Promise<T>;
  listeners: Set<(progress: P) => void>;
  waiters: number;
  abort: AbortController;
}

const builds = new Map<string, SharedBuild<unknown, unknown>>();

export interface BuildWaiter<P> {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: P) => void) | undefined;
}

function startBuild<P, T>(
  key: string,
  start: (signal: AbortSignal, emit: (progress: P) => void) => Promise<T>,
): SharedBuild<P, T> {
  const abort = new AbortController();
  const listeners = new Set<(progress: P) => void>();
  const shared: SharedBuild<P, T> = { done: Promise.resolve() as Promise<T>, listeners, waiters: 0, abort };
  shared.done = start(abort.signal, (progress) => {
    for (const listener of listeners) listener(progress);
  }).finally(() => {
    if (builds.get(key) === shared) builds.delete(key);
  });
  shared.done.catch(() => undefined);
  builds.set(key, shared as SharedBuild<unknown, unknown>);
  return shared;
}

/** Waits for the build `key`, starting it with `start` when none runs. Rejects BUILD_CANCELED when `signal` aborts. */
export async function joinSharedBuild<P, T>(
  key: string,
  start: (signal: AbortSignal, emit: (progress: P) => void) => Promise<T>,
  waiter: BuildWaiter<P>,
): Promise<T> {
  const build = (builds.get(key) as SharedBuild<P, T> | undefined) ?? startBuild(key, start);
  build.waiters += 1;
  if (waiter.onProgress !== undefined) build.listeners.add(waiter.onProgress);
  const signal = waiter.signal;
  let onAbort: (() => void) | undefined;
  try {
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(new PrepareError("BUILD_CANCELED", "the prepare was canceled; no image was tagged"));
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    return await Promise.race([build.done, aborted]);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    if (waiter.onProgress !== undefined) build.listeners.delete(waiter.onProgress);
    build.waiters -= 1;
    if (build.waiters === 0 && builds.get(key) === build) {
      build.abort.abort(signal?.reason);
      await build.done.catch(() => undefined);
    }
  }
}
