// computeResourceStats on engine samples of both cgroup versions (pure).
import { describe, expect, it } from "vitest";
import { computeResourceStats, isNearMemoryLimit } from "../../src/index.ts";

const MiB = 1024 * 1024;

const cgroupV1Sample = {
  read: "2026-12-01T02:50:00.123Z",
  cpu_stats: {
    cpu_usage: { total_usage: 2_500_000_000, percpu_usage: [1, 1] },
    system_cpu_usage: 20_000_000_000,
  },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
  memory_stats: { usage: 120 * MiB, limit: 128 * MiB, stats: { total_inactive_file: 4 * MiB } },
  pids_stats: { current: 7, limit: 64 },
  networks: { eth0: { rx_bytes: 1000, tx_bytes: 200 }, eth1: { rx_bytes: 24, tx_bytes: 6 } },
  blkio_stats: {
    io_service_bytes_recursive: [
      { major: 8, minor: 0, op: "Read", value: 4096 },
      { major: 8, minor: 0, op: "Write", value: 8192 },
      { major: 8, minor: 0, op: "Total", value: 12288 },
    ],
  },
};

describe("computeResourceStats", () => {
  it("computes memory without inactive file cache, CPU % as docker stats does, pids, network and block IO", () => {
    const stats = computeResourceStats(cgroupV1Sample, { nanoCpus: 500_000_000, oomKills: 2 });
    expect(stats.at.toISOString()).toBe("2026-12-01T02:50:00.123Z");
    expect(stats.memory).toEqual({ usedBytes: 116 * MiB, limitBytes: 128 * MiB, percent: 90.63 });
    // 0.5 s of CPU in 2 s of system time on 2 CPUs = 50 % of one CPU, all of a 0.5-CPU limit.
    expect(stats.cpu).toEqual({ percent: 50, limitCpus: 0.5, percentOfLimit: 100 });
    expect(stats.pids).toEqual({ current: 7, limit: 64 });
    expect(stats.network).toEqual({ rxBytes: 1024, txBytes: 206 });
    expect(stats.blockIo).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(stats.oomKills).toBe(2);
    expect(isNearMemoryLimit(stats)).toBe(true);
  });

  it("reads cgroup v2 samples (inactive_file, online_cpus) and treats no CPU limit and the first sample as such", () => {
    const stats = computeResourceStats({
      read: "0001-01-01T00:00:00Z",
      cpu_stats: { cpu_usage: { total_usage: 10 }, system_cpu_usage: 100, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 0 } },
      memory_stats: { usage: 50 * MiB, limit: 512 * MiB, stats: { inactive_file: 10 * MiB } },
      pids_stats: { current: 1, limit: 2 ** 63 },
    });
    expect(stats.memory.usedBytes).toBe(40 * MiB);
    expect(stats.memory.percent).toBe(7.81);
    expect(stats.cpu.limitCpus).toBeUndefined();
    expect(stats.cpu.percentOfLimit).toBeUndefined();
    expect(stats.pids.limit).toBeUndefined();
    expect(stats.network).toEqual({ rxBytes: 0, txBytes: 0 });
    expect(stats.at.getFullYear()).toBeGreaterThan(2000);
    expect(isNearMemoryLimit(stats)).toBe(false);
  });
});
