// Live resource use of the proxy's isolated servers: lifecycle's stats monitor
// kept in step with the running containers (checked every second), a warning
// line when a server's memory goes above 90 % of its limit, and the JSON of the
// stats for the REST API (GET /servers/{name}/stats and the server view).
import {
  ServerStatsMonitor,
  type DockerCliOptions,
  type LifecycleLogger,
  type ServerResourceStats,
} from "@mcpproxy/lifecycle";
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
  docker?: DockerCliOptions | undefined;
  logger: LifecycleLogger;
  intervalMs?: number | undefined;
}

const MB = 1024 * 1024;

export function watchResourceUse(options: ResourceUseOptions): ResourceUse {
  const monitor = new ServerStatsMonitor({
    docker: options.docker,
    labels: [`io.mcpproxy.instance=${options.instanceId}`],
  });
  monitor.on("near-limit", (name, stats) => {
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
  });
  monitor.on("stream-error", (name, error) =>
    options.logger.debug({ server: name, err: error.message }, "stats stream not opened"),
  );
  const sync = (): void => {
    const running = options.registry
      .list()
      .filter((entry) => entry.state === "ready" && entry.isolation.enabled)
      .flatMap((entry) => {
        const id = entry.handle?.container?.id;
        return id === undefined ? [] : [{ name: entry.name, containerId: id }];
      });
    monitor.sync(running);
  };
  sync();
  const timer = setInterval(sync, options.intervalMs ?? 1_000);
  timer.unref();
  return {
    stats: (name) => monitor.get(name),
    get openStreams() {
      return monitor.openStreams;
    },
    close: () => {
      clearInterval(timer);
      monitor.close();
    },
  };
}
