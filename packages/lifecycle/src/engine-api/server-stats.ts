// Live resource use of every running server's container, for a proxy: one stats
// stream per container (opened and closed as containers come and go, see
// sync()), one events stream for all of them (OOM kills counted per server),
// and a "near-limit" event when a server's memory crosses NEAR_MEMORY_LIMIT_PERCENT.
import { EventEmitter } from "node:events";
import type { DockerCliOptions } from "../types.ts";
import { EngineClient } from "./client.ts";
import { isNearMemoryLimit, type ServerResourceStats } from "./resource-stats.ts";
import { ContainerStatsWatch, EngineEventHub } from "./stats-monitor.ts";

export interface ServerStatsMonitorEvents {
  /** Memory went above the near-limit share (once per crossing). */
  "near-limit": [server: string, stats: ServerResourceStats];
  /** A stream could not be opened (engine away, container gone); retried at the next sync. */
  "stream-error": [server: string, error: Error];
}

interface Watched {
  containerId: string;
  watch: ContainerStatsWatch | undefined;
  opening: Promise<void> | undefined;
  near: boolean;
}

export class ServerStatsMonitor extends EventEmitter<ServerStatsMonitorEvents> {
  readonly #client: EngineClient;
  readonly #hub: EngineEventHub;
  readonly #watched = new Map<string, Watched>();
  #closed = false;

  constructor(options: {
    client?: EngineClient | undefined;
    docker?: DockerCliOptions | undefined;
    labels: string[];
  }) {
    super();
    this.#client = options.client ?? new EngineClient({ env: { ...process.env, ...options.docker?.env } });
    this.#hub = new EngineEventHub(this.#client, options.labels);
  }

  /** Watches exactly these servers' containers: new ones get a stream, gone or replaced ones lose theirs. */
  sync(servers: readonly { name: string; containerId: string }[]): void {
    if (this.#closed) return;
    void this.#hub.start().catch(() => undefined);
    const wanted = new Map(servers.map((server) => [server.name, server.containerId]));
    for (const [name, watched] of this.#watched) {
      if (wanted.get(name) !== watched.containerId) {
        watched.watch?.stop();
        this.#watched.delete(name);
      }
    }
    for (const [name, containerId] of wanted) {
      const watched = this.#watched.get(name) ?? {
        containerId,
        watch: undefined,
        opening: undefined,
        near: false,
      };
      this.#watched.set(name, watched);
      if (watched.watch === undefined && watched.opening === undefined) this.#open(name, watched);
    }
  }

  /** The latest stats of a watched server; undefined before the first sample or when not watched. */
  get(server: string): ServerResourceStats | undefined {
    const stats = this.#watched.get(server)?.watch?.latest;
    return stats === undefined ? undefined : { ...stats, oomKills: this.#hub.oomKills(server) };
  }

  /** Streams open now (for the overhead measurement). */
  get openStreams(): number {
    return [...this.#watched.values()].filter((watched) => watched.watch !== undefined).length;
  }

  close(): void {
    this.#closed = true;
    this.#hub.stop();
    for (const watched of this.#watched.values()) watched.watch?.stop();
    this.#watched.clear();
  }

  #open(name: string, watched: Watched): void {
    watched.opening = ContainerStatsWatch.open(this.#client, watched.containerId, {
      oomKills: () => this.#hub.oomKills(name),
      onSample: (stats) => this.#sample(name, watched, stats),
    }).then(
      (watch) => {
        watched.opening = undefined;
        if (this.#watched.get(name) !== watched || this.#closed) {
          watch.stop();
          return;
        }
        watched.watch = watch;
        // The container stopped or the engine went away: open again at the next sync.
        void watch.ended.then(() => {
          if (this.#watched.get(name) === watched) this.#watched.delete(name);
        });
      },
      (error: unknown) => {
        watched.opening = undefined;
        if (this.#watched.get(name) === watched) this.#watched.delete(name);
        this.emit("stream-error", name, error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  #sample(name: string, watched: Watched, stats: ServerResourceStats): void {
    const near = isNearMemoryLimit(stats);
    if (near && !watched.near) this.emit("near-limit", name, stats);
    watched.near = near;
  }
}
