// A value built on first use and shared by every caller: how the proxy defers
// loading a heavy module (the MCP SDK server, Hono, lifecycle's engine client)
// until a request or a server start needs it, so `mcpproxy serve` is ready sooner.

export interface FirstUse<T> {
  /** Builds the value on the first call; every call gets the same one. A failed build is tried again next time. */
  get(): Promise<T>;
  /** The value once a get() has resolved, else undefined. */
  readonly value: T | undefined;
  /** Whether get() was ever called (the value may still be on its way). */
  readonly started: boolean;
}

export function onFirstUse<T>(build: () => Promise<T>): FirstUse<T> {
  let pending: Promise<T> | undefined;
  let value: T | undefined;
  return {
    get() {
      pending ??= build().then(
        (built) => {
          value = built;
          return built;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    get value() {
      return value;
    },
    get started() {
      return pending !== undefined || value !== undefined;
    },
  };
}
