// One stats sample of the engine → what a server uses against its limits,
// computed as `docker stats` computes it (memory without the inactive page
// cache; CPU % of one CPU from the delta to the previous reading). Pure.

export interface ServerResourceStats {
  /** When the engine took the sample. */
  at: Date;
  memory: {
    /** Bytes in use (page cache that can be dropped is not counted). */
    usedBytes: number;
    /** The container's limit (the host's memory when unlimited). */
    limitBytes: number;
    /** usedBytes / limitBytes × 100. */
    percent: number;
  };
  cpu: {
    /** Like `docker stats`: 100 = one full CPU. */
    percent: number;
    /** The `cpus` limit (NanoCpus / 1e9); undefined when unlimited. */
    limitCpus: number | undefined;
    /** percent / (limitCpus × 100) × 100: how much of its CPU limit it uses. */
    percentOfLimit: number | undefined;
  };
  pids: { current: number; limit: number | undefined };
  network: { rxBytes: number; txBytes: number };
  blockIo: { readBytes: number; writeBytes: number };
  /** OOM kills seen for this server's containers since the proxy started watching. */
  oomKills: number;
}

type Raw = Record<string, unknown>;

function rec(value: unknown): Raw {
  return typeof value === "object" && value !== null ? (value as Raw) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function memoryUsed(memory: Raw): number {
  const usage = num(memory["usage"]) ?? 0;
  const stats = rec(memory["stats"]);
  // cgroup v1: total_inactive_file; cgroup v2: inactive_file (as the docker CLI does).
  const inactive = num(stats["total_inactive_file"]) ?? num(stats["inactive_file"]);
  return inactive !== undefined && inactive < usage ? usage - inactive : usage;
}

function cpuPercent(sample: Raw): number {
  const cpu = rec(sample["cpu_stats"]);
  const previous = rec(sample["precpu_stats"]);
  const total = num(rec(cpu["cpu_usage"])["total_usage"]) ?? 0;
  const previousTotal = num(rec(previous["cpu_usage"])["total_usage"]) ?? 0;
  const system = num(cpu["system_cpu_usage"]) ?? 0;
  const previousSystem = num(previous["system_cpu_usage"]) ?? 0;
  const perCpu = rec(cpu["cpu_usage"])["percpu_usage"];
  const online = num(cpu["online_cpus"]) ?? (Array.isArray(perCpu) ? perCpu.length : 1);
  const cpuDelta = total - previousTotal;
  const systemDelta = system - previousSystem;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * online * 100;
}

function sumIo(blkio: Raw): { readBytes: number; writeBytes: number } {
  let readBytes = 0;
  let writeBytes = 0;
  const entries = blkio["io_service_bytes_recursive"];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const op = String(rec(entry)["op"]).toLowerCase();
    const value = num(rec(entry)["value"]) ?? 0;
    if (op === "read") readBytes += value;
    else if (op === "write") writeBytes += value;
  }
  return { readBytes, writeBytes };
}

function sumNetworks(networks: Raw): { rxBytes: number; txBytes: number } {
  let rxBytes = 0;
  let txBytes = 0;
  for (const network of Object.values(networks)) {
    rxBytes += num(rec(network)["rx_bytes"]) ?? 0;
    txBytes += num(rec(network)["tx_bytes"]) ?? 0;
  }
  return { rxBytes, txBytes };
}

const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * A raw `GET /containers/{id}/stats` sample → ServerResourceStats. `nanoCpus` is
 * the container's HostConfig.NanoCpus (0 or undefined: no CPU limit).
 */
export function computeResourceStats(
  raw: unknown,
  limits: { nanoCpus?: number | undefined; oomKills?: number | undefined } = {},
): ServerResourceStats {
  const sample = rec(raw);
  const memory = rec(sample["memory_stats"]);
  const usedBytes = memoryUsed(memory);
  const limitBytes = num(memory["limit"]) ?? 0;
  const percent = cpuPercent(sample);
  const limitCpus = limits.nanoCpus !== undefined && limits.nanoCpus > 0 ? limits.nanoCpus / 1e9 : undefined;
  const pids = rec(sample["pids_stats"]);
  const pidsLimit = num(pids["limit"]);
  const read = typeof sample["read"] === "string" ? new Date(sample["read"]) : new Date();
  return {
    at: Number.isNaN(read.getTime()) || read.getFullYear() < 2000 ? new Date() : read,
    memory: { usedBytes, limitBytes, percent: limitBytes > 0 ? round((usedBytes / limitBytes) * 100) : 0 },
    cpu: {
      percent: round(percent),
      limitCpus,
      percentOfLimit: limitCpus === undefined ? undefined : round(percent / limitCpus),
    },
    pids: {
      current: num(pids["current"]) ?? 0,
      // cgroup v2 reports "max" as a huge number; 0 means unlimited.
      limit: pidsLimit !== undefined && pidsLimit > 0 && pidsLimit < 2 ** 52 ? pidsLimit : undefined,
    },
    network: sumNetworks(rec(sample["networks"])),
    blockIo: sumIo(rec(sample["blkio_stats"])),
    oomKills: limits.oomKills ?? 0,
  };
}

/** Memory use above this share of the limit is "near the limit" (warning line, doctor finding). */
export const NEAR_MEMORY_LIMIT_PERCENT = 90;

export function isNearMemoryLimit(stats: ServerResourceStats): boolean {
  return stats.memory.limitBytes > 0 && stats.memory.percent > NEAR_MEMORY_LIMIT_PERCENT;
}
