import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { serverRow, stateLabel } from "../../src/commands/servers-format.ts";

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
  findings: [],
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
      "3",
      "0",
      "engine unreachable: cannot reach the Docker engine",
    ]);
  });

  it("shows other states as they are", () => {
    expect(stateLabel(base)).toBe("ready");
  });
});
