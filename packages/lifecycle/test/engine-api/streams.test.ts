// The events and stats streams against the real engine: a container with real
// limits reports them in its stats; its OOM kill and death arrive as events.
import { buildContainerSpec, renderCreateRequest } from "@mcpproxy/docker-args";
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerStatsWatch,
  containerStatsOnce,
  computeResourceStats,
  EngineClient,
  EngineEventHub,
  removeContainer,
  runContainer,
  type ContainerEvent,
  type RunningContainer,
} from "../../src/index.ts";
import { instanceId, isolated, removeRunContainers, runContainers, tinyServer, waitFor } from "../helpers.ts";

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
    const stats = await waitFor(() => watch.latest, 15_000, "a stats sample");
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
      await waitFor(
        () => events.find((e) => e.id === container.id && e.action === "start"),
        10_000,
        "start event",
      );
      const watch = await ContainerStatsWatch.open(client, container.id, {
        oomKills: () => hub.oomKills("api-oom"),
      });
      await mcp.callTool({ name: "allocate", arguments: {} }).catch(() => undefined);
      const die = await waitFor(
        () => events.find((e) => e.id === container.id && e.action === "die"),
        30_000,
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
