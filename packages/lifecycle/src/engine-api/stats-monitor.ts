// Live resource use of running containers: one events stream for all of them
// (die and oom reach subscribers at once; OOM kills are counted per server) and
// one stats stream per watched container, each keeping its latest sample.
import { EventEmitter } from "node:events";
import type { EngineClient } from "./client.ts";
import { inspectContainerJson } from "./containers.ts";
import { computeResourceStats, type ServerResourceStats } from "./resource-stats.ts";
import {
  streamContainerStats,
  watchContainerEvents,
  type ContainerEvent,
  type JsonStream,
} from "./streams.ts";

export interface EngineEventHubEvents {
  /** Every container event that passed the hub's label filter. */
  event: [event: ContainerEvent];
  /** The engine ended the events stream (restart, outage); `start()` again to resume. */
  end: [error: Error | undefined];
}

/** One `GET /events` stream for every container carrying `labels`; counts OOM kills per container and per server. */
export class EngineEventHub extends EventEmitter<EngineEventHubEvents> {
  readonly #client: EngineClient;
  readonly #labels: readonly string[];
  readonly #oomByServer = new Map<string, number>();
  #stream: JsonStream | undefined;

  constructor(client: EngineClient, labels: readonly string[]) {
    super();
    this.#client = client;
    this.#labels = labels;
  }

  /** Opens the stream; resolves once the engine is sending. */
  async start(): Promise<void> {
    if (this.#stream !== undefined) return;
    this.#stream = await watchContainerEvents(this.#client, (event) => this.#receive(event), {
      labels: this.#labels,
      actions: ["start", "die", "oom", "destroy"],
      onEnd: (error) => {
        this.#stream = undefined;
        this.emit("end", error);
      },
    });
  }

  stop(): void {
    this.#stream?.stop();
    this.#stream = undefined;
  }

  /** OOM kills of the containers labelled with this server name, since start(). */
  oomKills(serverName: string): number {
    return this.#oomByServer.get(serverName) ?? 0;
  }

  #receive(event: ContainerEvent): void {
    if (event.action === "oom") {
      const server = event.attributes["io.mcpproxy.server"];
      if (server !== undefined) this.#oomByServer.set(server, (this.#oomByServer.get(server) ?? 0) + 1);
    }
    this.emit("event", event);
  }
}

/** Keeps the latest resource stats of one container from its stats stream. */
export class ContainerStatsWatch {
  readonly containerId: string;
  readonly #stream: JsonStream;
  readonly #sample: { latest: ServerResourceStats | undefined };

  private constructor(
    containerId: string,
    stream: JsonStream,
    sample: { latest: ServerResourceStats | undefined },
  ) {
    this.containerId = containerId;
    this.#stream = stream;
    this.#sample = sample;
  }

  /** The latest sample; undefined until the engine sent its first one. */
  get latest(): ServerResourceStats | undefined {
    return this.#sample.latest;
  }

  /** Resolves when the stream ended (container gone, stop(), engine away). */
  get ended(): Promise<void> {
    return this.#stream.ended;
  }

  stop(): void {
    this.#stream.stop();
  }

  /**
   * Opens the stats stream of container `id`. `oomKills` is asked at each sample
   * (e.g. `() => hub.oomKills(serverName)`).
   */
  static async open(
    client: EngineClient,
    id: string,
    options: {
      oomKills?: (() => number) | undefined;
      /** Each computed sample, as it arrives. */
      onSample?: ((stats: ServerResourceStats) => void) | undefined;
      timeoutMs?: number | undefined;
    } = {},
  ): Promise<ContainerStatsWatch> {
    const nanoCpus = await nanoCpusOf(client, id, options.timeoutMs);
    const sample: { latest: ServerResourceStats | undefined } = { latest: undefined };
    const ended = new AbortController();
    const stream = await streamContainerStats(
      client,
      id,
      (raw) => {
        // A stopped container's stream goes on with empty samples (no read time): it ended.
        if (!isLiveSample(raw)) {
          ended.abort();
          return;
        }
        sample.latest = computeResourceStats(raw, { nanoCpus, oomKills: options.oomKills?.() });
        options.onSample?.(sample.latest);
      },
      { timeoutMs: options.timeoutMs, signal: ended.signal },
    );
    return new ContainerStatsWatch(id, stream, sample);
  }
}

function isLiveSample(raw: unknown): boolean {
  const read = (raw as { read?: unknown } | null)?.read;
  return typeof read === "string" && !read.startsWith("0001-");
}

async function nanoCpusOf(
  client: EngineClient,
  id: string,
  timeoutMs: number | undefined,
): Promise<number | undefined> {
  const raw = await inspectContainerJson(client, id, { timeoutMs });
  const hostConfig = (raw as { HostConfig?: { NanoCpus?: unknown } } | undefined)?.HostConfig;
  return typeof hostConfig?.NanoCpus === "number" ? hostConfig.NanoCpus : undefined;
}
