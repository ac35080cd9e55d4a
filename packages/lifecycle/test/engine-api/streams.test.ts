// The events and stats streams against the real engine: a container with real
// limits reports them in its stats; its OOM kill and death arrive as events.
import { buildContainerSpec, renderCreateRequest } from "@mcpproxy/docker-args";
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { waitFor } from "@mcpproxy/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerStatsWatch,
  containerStatsOnce,
  computeResourceStats,
  EngineClient,
  EngineEventHub,
  removeContainer,
  runContainer,
  ServerStatsMonitor,
  type ContainerEvent,
  type RunningContainer,
} from "../../src/index.ts";
import { instanceId, isolated, removeRunContainers, runContainers, tinyServer } from "../helpers.ts";

let images: TestImages;
const client = new EngineClient();
const running: RunningContainer[] = [];
const MiB = 1024 * 1024;

beforeAll(async () => {
  images = await ensureTestImages();
});

afterAll(async () => {
  for (const container of running) await removeContainer(client, container.id);
  expect(await removeRunContainers()).toBe(0);
  expect(await runContainers()).toEqual([]);
});

async function startTiny(
  name: string,
  memory: string,
  cpus: string,
): Promise<{ container: RunningContainer; mcp: Client }> {
  const spec = buildContainerSpec(
    tinyServer(name, "serve"),
    isolated(images.node, { memory_limit: memory, cpu_limit: cpus, pids_limit: 32 }),
    { instanceId: instanceId("api-streams") },
  );
  const container = await runContainer(client, renderCreateRequest(spec, { removeOnExit: false }));
  running.push(container);
  const mcp = new Client({ name: "streams-test", version: "1.0.0" });
  await mcp.connect(container.transport);
  return { container, mcp };
}

describe("stats stream", () => {
  it("reports memory against the memory limit, CPU against cpus, and pids", async () => {
    const { container, mcp } = await startTiny("api-stats", "96m", "0.5");
    const watch = await ContainerStatsWatch.open(client, container.id);
    const stats = await waitFor(() => watch.latest, "a stats sample");
    expect(stats.memory.limitBytes).toBe(96 * MiB);
    expect(stats.memory.usedBytes).toBeGreaterThan(0);
    expect(stats.memory.usedBytes).toBeLessThan(96 * MiB);
    expect(stats.cpu.limitCpus).toBe(0.5);
    expect(stats.pids.current).toBeGreaterThanOrEqual(1);
    expect(stats.pids.limit).toBe(32);
    expect(stats.oomKills).toBe(0);

    const once = computeResourceStats(await containerStatsOnce(client, container.id), {
      nanoCpus: 500_000_000,
    });
    expect(once.memory.limitBytes).toBe(96 * MiB);

    await mcp.close();
    container.transport.end();
    await container.exited;
    await watch.ended; // the engine ends the stream when the container stops
  });
});

describe("events stream", () => {
  it("delivers oom and die of an OOM-killed server at once and counts the kill per server", async () => {
    const hub = new EngineEventHub(client, [`io.mcpproxy.instance=${instanceId("api-streams")}`]);
    const events: ContainerEvent[] = [];
    hub.on("event", (event) => events.push(event));
    await hub.start();
    try {
      const { container, mcp } = await startTiny("api-oom", "48m", "1.0");
      await waitFor(() => events.find((e) => e.id === container.id && e.action === "start"), "start event");
      const watch = await ContainerStatsWatch.open(client, container.id, {
        oomKills: () => hub.oomKills("api-oom"),
      });
      await mcp.callTool({ name: "allocate", arguments: {} }).catch(() => undefined);
      const die = await waitFor(
        () => events.find((e) => e.id === container.id && e.action === "die"),
        "die event",
      );
      expect(die.attributes["exitCode"]).toBe("137");
      expect(die.attributes["io.mcpproxy.server"]).toBe("api-oom");
      expect(events.some((e) => e.id === container.id && e.action === "oom")).toBe(true);
      expect(hub.oomKills("api-oom")).toBe(1);
      expect(hub.oomKills("api-stats")).toBe(0);
      expect((await container.exited).exitCode).toBe(137);
      await watch.ended;
    } finally {
      hub.stop();
    }
  });
});

/** Fills its memory cgroup to ~95 % and holds it there (v1 or v2 files). */
const HOARDER = `
const fs = require("node:fs");
const read = (v1, v2) => { try { return fs.readFileSync("/sys/fs/cgroup/memory/" + v1, "utf8"); } catch { return fs.readFileSync("/sys/fs/cgroup/" + v2, "utf8"); } };
const limit = Number(read("memory.limit_in_bytes", "memory.max"));
const hoard = [];
setInterval(() => {
  if (Number(read("memory.usage_in_bytes", "memory.current")) < 0.95 * limit) hoard.push(Buffer.alloc(1 << 20, 1));
}, 5);
process.stdin.on("end", () => process.exit(0)).resume();
`;

describe("ServerStatsMonitor", () => {
  it("watches the servers it is given and warns once when memory goes above 90 % of the limit", async () => {
    const spec = buildContainerSpec(
      { name: "api-hoard", command: "node", args: ["-e", HOARDER], env: {}, enabled: true },
      isolated(images.node, { memory_limit: "128m" }),
      { instanceId: instanceId("api-streams") },
    );
    const container = await runContainer(client, renderCreateRequest(spec, { removeOnExit: false }));
    running.push(container);
    const monitor = new ServerStatsMonitor({
      client,
      labels: [`io.mcpproxy.instance=${instanceId("api-streams")}`],
    });
    const warnings: number[] = [];
    monitor.on("near-limit", (_name, stats) => warnings.push(stats.memory.percent));
    try {
      monitor.sync([{ name: "api-hoard", containerId: container.id }]);
      monitor.sync([{ name: "api-hoard", containerId: container.id }]); // idempotent: one stream
      await waitFor(() => warnings.length > 0 || undefined, "the near-limit warning");
      expect(warnings[0]).toBeGreaterThan(90);
      const stats = monitor.get("api-hoard");
      expect(stats?.memory.limitBytes).toBe(128 * MiB);
      expect(monitor.openStreams).toBe(1);
      expect(monitor.get("unknown")).toBeUndefined();
      monitor.sync([]);
      expect(monitor.get("api-hoard")).toBeUndefined();
      expect(warnings).toHaveLength(1);
    } finally {
      monitor.close();
      container.transport.end();
      await container.exited;
    }
  });
});
