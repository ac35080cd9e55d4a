import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { nearLimitWarning, serverRow, stateLabel } from "../../src/commands/servers-format.ts";
import { topRow, topScreen } from "../../src/commands/servers-top.ts";

const plain = pc.createColors(false);
const base = {
  name: "web",
  enabled: true,
  state: "ready",
  state_detail: "ready",
  tool_count: 3,
  command: "npx",
  isolation: {
    enabled: true,
    reason: "global-enabled",
    detail: "",
    image: "node:20",
    container_id: null,
    container_name: null,
    memory_limit: "512m",
    cpu_limit: "1.0",
    network_mode: "bridge",
    prepared: null,
  },
  restarts: 0,
  pull: null,
  prepare: null,
  engine_unreachable: null,
  kept_container: null,
  last_error: null,
  last_exit: null,
  resources: null,
  findings: [],
};

const MiB = 1024 * 1024;
const resources = {
  at: "2026-12-01T03:00:00.000Z",
  memory: { used_bytes: 470 * MiB, limit_bytes: 512 * MiB, percent: 91.8 },
  cpu: { percent: 12.5, limit_cpus: 0.5, percent_of_limit: 25 },
  pids: { current: 9, limit: 64 },
  network: { rx_bytes: 2 * MiB, tx_bytes: MiB },
  block_io: { read_bytes: 0, write_bytes: 3 * MiB },
  oom_kills: 1,
};

describe("servers list STATE column", () => {
  it("shows a pull's layers and bytes while pulling", () => {
    const pull = {
      image: "node:20",
      started_at: "2026-01-01T00:00:00.000Z",
      layers: 7,
      layers_done: 3,
      bytes_done: 45_100_000,
      bytes_total: 120_300_000,
      status: "Downloading",
    };
    expect(stateLabel({ ...base, state: "pulling", pull })).toBe("pulling 3/7 layers 45.1/120.3 MB");
    expect(stateLabel({ ...base, state: "pulling", pull: { ...pull, bytes_total: 0 } })).toBe(
      "pulling 3/7 layers",
    );
  });

  it("shows the prepared image's build step while preparing", () => {
    const prepare = {
      image: "mcpproxy-prepared/web:0123456789abcdef",
      started_at: "2026-01-01T00:00:00.000Z",
      phase: "build",
      step: 3,
      total_steps: 9,
      message: "RUN npm install",
    };
    expect(stateLabel({ ...base, state: "preparing", prepare })).toBe("preparing step 3/9");
    expect(
      stateLabel({ ...base, state: "preparing", prepare: { ...prepare, phase: "resolve", step: null } }),
    ).toBe("preparing (resolve)");
  });

  it("says engine unreachable during an outage, with the engine's words as the problem", () => {
    const server = {
      ...base,
      state: "restarting",
      engine_unreachable: "cannot reach the Docker engine",
      state_detail: "engine unreachable: cannot reach the Docker engine",
    };
    expect(stateLabel(server)).toBe("engine unreachable");
    expect(serverRow(plain, server)).toEqual([
      "web",
      "engine unreachable",
      "node:20",
      "-",
      "-",
      "-",
      "3",
      "0",
      "engine unreachable: cannot reach the Docker engine",
    ]);
  });

  it("shows other states as they are", () => {
    expect(stateLabel(base)).toBe("ready");
  });
});

describe("resource columns", () => {
  it("servers list shows MEM against the limit and CPU against cpus", () => {
    const row = serverRow(plain, { ...base, resources });
    expect(row.slice(4, 6)).toEqual(["470.0/512.0 MiB (91.8%)", "12.5% of 0.5"]);
  });

  it("warns about a server above 90 % of its memory limit, naming the setting", () => {
    expect(nearLimitWarning({ ...base, resources })).toBe(
      "warning: web uses 91.8% of its memory limit (470.0 MiB of 512m); raise its isolation.memory_limit before it is OOM-killed (see `mcpproxy doctor`)",
    );
    const calm = { ...resources, memory: { ...resources.memory, percent: 90 } };
    expect(nearLimitWarning({ ...base, resources: calm })).toBeUndefined();
    expect(nearLimitWarning(base)).toBeUndefined();
  });

  it("servers top shows pids, IO and OOM kills, and the warning under the table", () => {
    expect(topRow(plain, { ...base, resources })).toEqual([
      "web",
      "ready",
      "470.0/512.0 MiB (91.8%)",
      "12.5% of 0.5",
      "9/64",
      "2.0 MiB / 1.0 MiB",
      "0.0 MiB / 3.0 MiB",
      "1",
    ]);
    expect(topRow(plain, base).slice(2)).toEqual(["-", "-", "-", "-", "-", "-"]);
    const screen = topScreen(plain, [
      { ...base, resources },
      { ...base, name: "host" },
    ]);
    expect(screen[0]).toMatch(/^NAME\s+STATE\s+MEM\s+CPU\s+PIDS\s+NET RX\/TX\s+BLOCK R\/W\s+OOM$/);
    expect(screen).toHaveLength(4);
    expect(screen[3]).toMatch(/^warning: web uses 91.8%/);
  });
});
