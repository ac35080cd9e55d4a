// A counting semaphore: at most `max` server starts (pulls, container creation,
// initialize) at once, so starting forty servers does not start forty pulls.

export class Limiter {
  readonly max: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("concurrency must be a positive integer");
    this.max = max;
  }

  get active(): number {
    return this.#active;
  }

  /** Resolves with a release function once a slot is free; rejects with `signal.reason` when aborted first. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#active >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const index = this.#waiting.indexOf(wake);
          if (index >= 0) this.#waiting.splice(index, 1);
          const reason: unknown = signal?.reason;
          reject(reason instanceof Error ? reason : new Error("aborted", { cause: reason }));
        };
        const wake = (): void => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#waiting.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } else {
      this.#active += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter; the count only drops when nobody waits.
      if (next !== undefined) next();
      else this.#active -= 1;
    };
  }
}
