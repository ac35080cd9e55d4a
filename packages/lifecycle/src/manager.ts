// A set of supervised servers with bounded start concurrency, orphan sweep and
// orderly shutdown on SIGINT/SIGTERM.
import { constants } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import { sweepOrphans, type SweepResult } from "./containers.ts";
import { errorMessage, LifecycleError } from "./errors.ts";
import { ManagedServer } from "./handle.ts";
import { Limiter } from "./limiter.ts";
import type { ServerHandle, StartServerOptions } from "./types.ts";

export interface ServerManagerOptions extends StartServerOptions {
  /** Server starts (image checks, pulls, container creation, initialize) running at once. Default 4. */
  concurrency?: number | undefined;
}

export interface SignalHandlerOptions {
  /** Default ["SIGINT", "SIGTERM"]. */
  signals?: NodeJS.Signals[] | undefined;
  /** Longest wait for stopAll() before exiting anyway. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Called with 128 + the signal number after stopAll(); default process.exit. */
  exit?: ((code: number) => void) | undefined;
}

export interface ServerManager {
  /**
   * Starts `server` in the background and returns its handle at once (state
   * `starting`, then `ready`, or `restarting`/`failed` per the restart policy:
   * a failed first start is retried like a crash). Throws only for a duplicate name.
   */
  add(server: ServerConfig, isolation: IsolationResolution): ServerHandle;
  get(name: string): ServerHandle | undefined;
  list(): ServerHandle[];
  /** Stops the server (its container removed) and forgets it. */
  remove(name: string): Promise<void>;
  /** Stops every server for good (shutdown); the handles stay listed, in state `stopped`, and never start again. */
  stopAll(): Promise<void>;
  /** sweepOrphans() for this manager's instance id and docker options. */
  sweepOrphans(): Promise<SweepResult>;
  /** On SIGINT/SIGTERM: stopAll(), then exit(128 + signal number); a second signal exits at once. Returns the uninstall function. */
  installSignalHandlers(options?: SignalHandlerOptions): () => void;
}

export function createServerManager(options: ServerManagerOptions): ServerManager {
  const { concurrency, ...startOptions } = options;
  const limiter = new Limiter(concurrency ?? 4);
  const handles = new Map<string, ManagedServer>();
  const logger = options.logger;
  /** After stopAll() no server starts again (a restart racing the shutdown is refused). */
  let stopped = false;

  async function stopAll(): Promise<void> {
    stopped = true;
    await Promise.all([...handles.values()].map((handle) => handle.dispose()));
  }

  return {
    add(server, isolation) {
      if (handles.has(server.name)) {
        throw new LifecycleError(
          "SERVER_EXISTS",
          `a server named ${server.name} is already managed; remove it first`,
          {
            serverName: server.name,
          },
        );
      }
      const handle = new ManagedServer(server, isolation, startOptions, limiter);
      handles.set(server.name, handle);
      if (stopped) void handle.dispose();
      else handle.startSupervised();
      return handle;
    },
    get(name) {
      return handles.get(name);
    },
    list() {
      return [...handles.values()];
    },
    async remove(name) {
      const handle = handles.get(name);
      if (handle === undefined) return;
      await handle.dispose();
      if (handles.get(name) === handle) handles.delete(name);
    },
    stopAll,
    sweepOrphans() {
      return sweepOrphans({
        instanceId: options.instanceId,
        docker: options.docker,
        method: options.containerLaunch,
      });
    },
    installSignalHandlers(signalOptions = {}) {
      const signals = signalOptions.signals ?? ["SIGINT", "SIGTERM"];
      const exit = signalOptions.exit ?? ((code: number) => process.exit(code));
      const timeoutMs = signalOptions.timeoutMs ?? 30_000;
      let stopping = false;
      const handler = (signal: NodeJS.Signals): void => {
        const code = 128 + (constants.signals[signal] ?? 15);
        if (stopping) {
          logger?.warn({ signal }, "second signal while stopping servers: exiting now");
          exit(code);
          return;
        }
        stopping = true;
        logger?.info({ signal, servers: handles.size }, "stopping all servers");
        const timer = new AbortController();
        const bounded = Promise.race([stopAll(), sleep(timeoutMs, undefined, { signal: timer.signal })]);
        void bounded
          .catch((error: unknown) =>
            logger?.error({ err: error }, `stopping servers failed: ${errorMessage(error)}`),
          )
          .finally(() => {
            timer.abort();
            exit(code);
          });
      };
      for (const signal of signals) process.on(signal, handler);
      return () => {
        for (const signal of signals) process.off(signal, handler);
      };
    },
  };
}
