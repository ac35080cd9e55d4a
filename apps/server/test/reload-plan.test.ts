import { parseConfig, type McpProxyConfig } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { configHashOf, planReload } from "../src/reload-plan.ts";

function config(value: Record<string, unknown>): McpProxyConfig {
  const result = parseConfig(JSON.stringify(value));
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return result.config;
}

const base = {
  docker_isolation: { enabled: true, memory_limit: "256m", network_mode: "none" },
  mcpServers: [
    { name: "iso-a", command: "npx", args: ["-y", "pkg-a"] },
    { name: "iso-b", command: "uvx", args: ["pkg-b"], isolation: { memory_limit: "128m" } },
    { name: "plain", command: "node", args: ["server.js"], isolation: { enabled: false } },
    { name: "off", command: "node", args: ["x.js"], enabled: false },
  ],
};

function edited(edit: (c: typeof base) => void): McpProxyConfig {
  const copy = structuredClone(base);
  edit(copy);
  return config(copy);
}

describe("planReload", () => {
  it("changes nothing for an identical config (a bare touch)", () => {
    const plan = planReload(config(base), config(base));
    expect(plan).toEqual({
      start: [],
      stop: [],
      restart: [],
      keep: ["iso-a", "iso-b", "plain"],
      settings: [],
    });
  });

  it("restarts only the server whose memory_limit changed", () => {
    const next = edited((c) => {
      (c.mcpServers[1] as { isolation: { memory_limit: string } }).isolation.memory_limit = "192m";
    });
    const plan = planReload(config(base), next);
    expect(plan.restart.map((s) => s.name)).toEqual(["iso-b"]);
    expect(plan.keep).toEqual(["iso-a", "plain"]);
  });

  it("restarts the isolated servers a global isolation change affects, not the others", () => {
    const next = edited((c) => {
      c.docker_isolation.network_mode = "bridge";
    });
    const plan = planReload(config(base), next);
    expect(plan.restart.map((s) => s.name).sort()).toEqual(["iso-a", "iso-b"]);
    expect(plan.keep).toEqual(["plain"]);

    // a global memory change does not touch iso-b, which sets its own
    const memory = planReload(
      config(base),
      edited((c) => {
        c.docker_isolation.memory_limit = "1g";
      }),
    );
    expect(memory.restart.map((s) => s.name)).toEqual(["iso-a"]);
  });

  it("restarts a non-isolated server when its command, args or env change", () => {
    const next = edited((c) => {
      (c.mcpServers[2] as { env?: Record<string, string> }).env = { DEBUG: "1" };
    });
    expect(planReload(config(base), next).restart.map((s) => s.name)).toEqual(["plain"]);
  });

  it("starts added and newly enabled servers, stops removed and disabled ones", () => {
    const next = edited((c) => {
      c.mcpServers = c.mcpServers.filter((s) => s.name !== "iso-a");
      (c.mcpServers.find((s) => s.name === "off") as { enabled: boolean }).enabled = true;
      (c.mcpServers.find((s) => s.name === "plain") as { enabled?: boolean }).enabled = false;
      c.mcpServers.push({ name: "new", command: "node", args: ["n.js"] });
    });
    const plan = planReload(config(base), next);
    expect(plan.start.map((s) => s.name).sort()).toEqual(["new", "off"]);
    expect(plan.stop.sort()).toEqual(["iso-a", "plain"]);
    expect(plan.restart).toEqual([]);
    expect(plan.keep).toEqual(["iso-b"]);
  });

  it("reports top-level settings that changed", () => {
    const next = config({ ...base, tools_mode: "direct", api_key: "k" });
    expect(planReload(config(base), next).settings.sort()).toEqual(["api_key", "tools_mode"]);
  });

  it("gives a stable config hash that follows effective settings", () => {
    const a = config(base);
    const server = a.mcpServers[0]!;
    expect(configHashOf(a, server)).toBe(configHashOf(config(base), config(base).mcpServers[0]!));
    const b = edited((c) => {
      c.docker_isolation.memory_limit = "1g";
    });
    expect(configHashOf(b, b.mcpServers[0]!)).not.toBe(configHashOf(a, server));
  });
});
