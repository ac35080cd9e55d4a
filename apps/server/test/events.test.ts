// GET /api/v1/events: the event bus's history, a snapshot first, live server
// events (crash with its reason, restart, disable), config reloads, and a
// reconnect with Last-Event-ID that receives exactly what it missed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventBus } from "../src/events.ts";
import { type RunningProxy } from "../src/index.ts";
import {
  callTool,
  connectClient,
  dynamicServer,
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";
import { openSse, type SseEvent } from "./sse.ts";

describe("event bus", () => {
  it("replays the events after an id, and refuses ids of another run or too old", () => {
    const bus = createEventBus({ history: 3 });
    const first = bus.emit("server", { name: "a" });
    const second = bus.emit("server", { name: "b" });
    expect(bus.since(first.id)?.map((e) => e.id)).toEqual([second.id]);
    expect(bus.since(second.id)).toEqual([]);
    expect(bus.since("deadbeef.1")).toBeUndefined();
    expect(bus.since("not an id")).toBeUndefined();
    bus.emit("server", { name: "c" });
    bus.emit("server", { name: "d" });
    bus.emit("server", { name: "e" });
    // Events 2..5 are needed but only 3..5 are kept: the client needs a snapshot.
    expect(bus.since(first.id)).toBeUndefined();
    expect(bus.since(second.id)?.map((e) => (e.data as { name: string }).name)).toEqual(["c", "d", "e"]);
  });
});

const KEY = "events-test-key";
const parse = (event: SseEvent) => JSON.parse(event.data) as Record<string, unknown>;
const about =
  (name: string, type: string, match: (data: Record<string, unknown>) => boolean = () => true) =>
  (event: SseEvent) =>
    event.event === type && parse(event)["name"] === name && match(parse(event));

describe("GET /api/v1/events", () => {
  const alpha = uniqueName("alpha");
  const beta = uniqueName("beta");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let eventsUrl: URL;

  beforeAll(async () => {
    tmp = await tempDir();
    proxy = await startTestProxy(
      tmp,
      { api_key: KEY, mcpServers: [dynamicServer(alpha), dynamicServer(beta)] },
      { restart: { maxRestarts: 5, initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000 } },
    );
    await waitReady(proxy.url, KEY, [alpha, beta]);
    eventsUrl = new URL("/api/v1/events", proxy.url);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("needs the key", async () => {
    const response = await fetch(eventsUrl);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it("starts with a snapshot, then streams a crash with its reason and the way back to ready", async () => {
    const stream = await openSse(eventsUrl, { "x-api-key": KEY });
    try {
      const snapshot = await stream.next();
      expect(snapshot.event).toBe("snapshot");
      expect(snapshot.id).toMatch(/^[0-9a-f]+\.\d+$/);
      const body = parse(snapshot) as { servers: ServerJson[]; status: { instance_id: string } };
      expect(body.servers.map((s) => [s.name, s.state])).toEqual([
        [alpha, "ready"],
        [beta, "ready"],
      ]);
      expect(body.status.instance_id).toBe(proxy.instanceId);

      const client = await connectClient(proxy.mcpUrl, KEY);
      try {
        await callTool(client, "call_tool", { name: `${alpha}:crash`, args: { code: 3 } });
      } finally {
        await client.close();
      }
      const exit = await stream.next(about(alpha, "exit"));
      expect(parse(exit)).toMatchObject({ exit_code: 3, reason: expect.stringContaining("3") as unknown });
      const restart = await stream.next(about(alpha, "restart"));
      expect(parse(restart)).toMatchObject({ restarts: 1, reason: expect.any(String) as unknown });
      await stream.next(about(alpha, "server", (d) => d["state"] === "ready"));
    } finally {
      stream.close();
    }
  });

  it("gives a reconnecting client exactly the events it missed, then live ones", async () => {
    const first = await openSse(eventsUrl, { "x-api-key": KEY });
    const snapshot = await first.next();
    first.close();

    await rest(proxy.url, `/servers/${alpha}/restart`, { apiKey: KEY, method: "POST" });
    const disabled = await rest<ServerJson>(proxy.url, `/servers/${beta}/disable`, {
      apiKey: KEY,
      method: "POST",
    });
    expect(disabled.body.state).toBe("disabled");

    const again = await openSse(eventsUrl, { "x-api-key": KEY, "last-event-id": snapshot.id ?? "" });
    try {
      const missed = await again.next(about(beta, "server", (d) => d["state"] === "disabled"));
      expect(again.received.some((e) => e.event === "snapshot")).toBe(false);
      expect(again.received.every((e) => e.id !== snapshot.id)).toBe(true);
      expect(missed.id).not.toBe(snapshot.id);
      await again.next((e) => e.event === "config-reload");
      const requested = again.received.find((e) => e.event === "restart" && parse(e)["name"] === alpha);
      expect(requested && parse(requested)["reason"]).toMatch(/requested through the REST API/);
      await rest(proxy.url, `/servers/${beta}/enable`, { apiKey: KEY, method: "POST" });
      await again.next(about(beta, "server", (d) => d["state"] === "ready"));
    } finally {
      again.close();
    }
  });

  it("answers an id it cannot replay with a fresh snapshot", async () => {
    const stream = await openSse(eventsUrl, { "x-api-key": KEY, "last-event-id": "0000.99" });
    try {
      expect((await stream.next()).event).toBe("snapshot");
    } finally {
      stream.close();
    }
  });
});
