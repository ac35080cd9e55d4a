// Live resource use of the proxy's isolated servers: lifecycle's stats monitor
// kept in step with the running containers (checked every second), a warning
// line when a server's memory goes above 90 % of its limit, and the JSON of the
// stats for the REST API (GET /servers/{name}/stats and the server view).
import type {
  DockerCliOptions,
  LifecycleLogger,
  ServerResourceStats,
  ServerStatsMonitor,
} from "@mcpproxy/lifecycle";
import { errorMessage } from "./errors.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";

/** `resources` of a server view and the body of GET /servers/{name}/stats. */
export interface ResourcesView {
  at: string;
  memory: { used_bytes: number; limit_bytes: number; percent: number };
  /** percent: 100 = one full CPU (as `docker stats`); percent_of_limit: share of the `cpus` limit. */
  cpu: { percent: number; limit_cpus: number | null; percent_of_limit: number | null };
  pids: { current: number; limit: number | null };
  network: { rx_bytes: number; tx_bytes: number };
  block_io: { read_bytes: number; write_bytes: number };
  oom_kills: number;
}

export function resourcesView(stats: ServerResourceStats | undefined): ResourcesView | null {
  if (stats === undefined) return null;
  return {
    at: stats.at.toISOString(),
    memory: {
      used_bytes: stats.memory.usedBytes,
      limit_bytes: stats.memory.limitBytes,
      percent: stats.memory.percent,
    },
    cpu: {
      percent: stats.cpu.percent,
      limit_cpus: stats.cpu.limitCpus ?? null,
      percent_of_limit: stats.cpu.percentOfLimit ?? null,
    },
    pids: { current: stats.pids.current, limit: stats.pids.limit ?? null },
    network: { rx_bytes: stats.network.rxBytes, tx_bytes: stats.network.txBytes },
    block_io: { read_bytes: stats.blockIo.readBytes, write_bytes: stats.blockIo.writeBytes },
    oom_kills: stats.oomKills,
  };
}

export interface ResourceUse {
  /** The latest stats of a running isolated server; undefined otherwise (or before the first sample). */
  stats(name: string): ServerResourceStats | undefined;
  /** Stats streams open now. */
  readonly openStreams: number;
  close(): void;
}

export interface ResourceUseOptions {
  registry: UpstreamRegistry;
  instanceId: string;
  /** The endpoint of this run; a promise while it is being resolved. */
  docker?: DockerCliOptions | Promise<DockerCliOptions> | undefined;
  logger: LifecycleLogger;
  intervalMs?: number | undefined;
}

const MB = 1024 * 1024;

/**
 * The monitor is created (lifecycle's engine client loaded) once an isolated
 * server is running: a proxy without one never loads it.
 */
export function watchResourceUse(options: ResourceUseOptions): ResourceUse {
  let monitor: ServerStatsMonitor | undefined;
  let loading: Promise<void> | undefined;
  let closed = false;
  // Awaited only once a server runs (createMonitor reports a failure then), never unhandled before.
  if (options.docker instanceof Promise) void options.docker.catch(() => undefined);

  async function createMonitor(): Promise<void> {
    const [{ ServerStatsMonitor }, docker] = await Promise.all([
      import("./lifecycle-on-demand.ts"),
      options.docker,
    ]);
    if (closed) return;
    monitor = new ServerStatsMonitor({ docker, labels: [`io.mcpproxy.instance=${options.instanceId}`] });
    monitor.on("near-limit", (name, stats) => warnNearLimit(options, name, stats));
    monitor.on("stream-error", (name, error) =>
      options.logger.debug({ server: name, err: error.message }, "stats stream not opened"),
    );
  }

  const sync = (): void => {
    const running = options.registry
      .list()
      .filter((entry) => entry.state === "ready" && entry.isolation.enabled)
      .flatMap((entry) => {
        const id = entry.handle?.container?.id;
        return id === undefined ? [] : [{ name: entry.name, containerId: id }];
      });
    if (monitor !== undefined) monitor.sync(running);
    else if (running.length > 0 && loading === undefined) {
      loading = createMonitor().then(
        () => {
          if (!closed) sync();
        },
        (error: unknown) => {
          loading = undefined;
          options.logger.warn({ err: errorMessage(error) }, "resource monitor not started");
        },
      );
    }
  };
  sync();
  const timer = setInterval(sync, options.intervalMs ?? 1_000);
  timer.unref();
  return {
    stats: (name) => monitor?.get(name),
    get openStreams() {
      return monitor?.openStreams ?? 0;
    },
    close: () => {
      closed = true;
      clearInterval(timer);
      monitor?.close();
    },
  };
}

function warnNearLimit(options: ResourceUseOptions, name: string, stats: ServerResourceStats): void {
  const limit = options.registry.get(name)?.isolation;
  const configured = limit?.enabled === true ? limit.memory_limit : undefined;
  options.logger.warn(
    {
      server: name,
      memory_used: stats.memory.usedBytes,
      memory_limit: stats.memory.limitBytes,
      percent: stats.memory.percent,
    },
    `server ${name} uses ${stats.memory.percent.toFixed(1)} % of its memory limit (${(stats.memory.usedBytes / MB).toFixed(0)} of ${configured ?? `${(stats.memory.limitBytes / MB).toFixed(0)} MiB`}); raise its isolation.memory_limit before it is OOM-killed`,
  );
}
