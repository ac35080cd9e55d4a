// GET /servers/{name}/logs/follow and GET /events?stats=true against a real
// proxy: a line the server prints arrives on the followed log; resource
// samples of an isolated server (with a real memory limit) arrive as `stats`
// events, none of them with an id.
import path from "node:path";
import { startProxy, type RunningProxy } from "@mcpproxy/server";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dynamicServer,
  isolatedEverything,
  rest,
  tempDir,
  uniqueName,
  waitReady,
  writeConfig,
  type TempDir,
} from "./helpers.ts";
import { openSse, type SseEvent } from "./sse.ts";

const KEY = "log-stream-test-key";

const linesOf = (event: SseEvent) => (JSON.parse(event.data) as { lines: string[] }).lines;

describe("log following and stats events", () => {
  const host = uniqueName("chatty");
  const isolated = uniqueName("gauged");
  let tmp: TempDir;
  let proxy: RunningProxy;
  const url = (route: string) => new URL(`/api/v1${route}`, proxy.url);

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    const configPath = path.join(tmp.dir, "mcp_config.json");
    await writeConfig(configPath, {
      api_key: KEY,
      mcpServers: [
        dynamicServer(host),
        isolatedEverything(isolated, { image: images.everything, memory_limit: "256m" }),
      ],
    });
    proxy = await startProxy({
      configPath,
      listen: "127.0.0.1:0",
      logDir: path.join(tmp.dir, "logs"),
      console: false,
    });
    await waitReady(proxy.url, KEY, [host, isolated]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("streams the last lines, then a line the server prints after a restart", async () => {
    const stream = await openSse(url(`/servers/${host}/logs/follow?tail=50`), { "x-api-key": KEY });
    try {
      const first = await stream.next();
      expect(first.event).toBe("lines");
      expect(first.id).toBeUndefined();
      const starting = `dynamic upstream ${host} starting`;
      expect(linesOf(first).filter((l) => l.includes(starting))).toHaveLength(1);
      await rest(proxy.url, `/servers/${host}/restart`, { apiKey: KEY, method: "POST" });
      await stream.next((e) => e.event === "lines" && linesOf(e).some((l) => l.includes(starting)));
    } finally {
      stream.close();
    }
  });

  it("answers a wrong name or tail with the usual errors, and needs the key", async () => {
    const missing = await rest(proxy.url, "/servers/no-such-server/logs/follow", { apiKey: KEY });
    expect(missing.status).toBe(404);
    const zero = await rest(proxy.url, `/servers/${host}/logs/follow?tail=0`, { apiKey: KEY });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain("tail");
    const anonymous = await fetch(url(`/servers/${host}/logs/follow`));
    expect(anonymous.status).toBe(401);
  });

  it("sends `stats` events without ids only when asked: used memory against the 256m limit", async () => {
    const stream = await openSse(url("/events?stats=true"), { "x-api-key": KEY });
    let snapshotId: string | undefined;
    try {
      const snapshot = await stream.next();
      expect(snapshot.event).toBe("snapshot");
      snapshotId = snapshot.id ?? "";
      const event = await stream.next((e) => {
        if (e.event !== "stats") return false;
        const { servers } = JSON.parse(e.data) as { servers: { name: string; resources: unknown }[] };
        return servers.some((s) => s.name === isolated && s.resources !== null);
      });
      expect(event.id).toBeUndefined();
      const { servers } = JSON.parse(event.data) as {
        servers: { name: string; resources: { memory: { used_bytes: number; limit_bytes: number } } }[];
      };
      const sample = servers.find((s) => s.name === isolated)?.resources;
      expect(sample?.memory.used_bytes).toBeGreaterThan(0);
      expect(sample?.memory.limit_bytes).toBe(256 * 1024 * 1024);
      // A later sample of the same server comes as another `stats` event (samples change every second).
      await stream.next((e) => e.event === "stats" && e !== event && e.data.includes(isolated));
    } finally {
      stream.close();
    }
    // A client back with Last-Event-ID gets no snapshot: its first `stats` event brings every server's sample.
    const resumed = await openSse(url("/events?stats=true"), {
      "x-api-key": KEY,
      "last-event-id": snapshotId,
    });
    try {
      const first = await resumed.next((e) => e.event === "stats");
      expect(resumed.received.some((e) => e.event === "snapshot")).toBe(false);
      const names = (JSON.parse(first.data) as { servers: { name: string }[] }).servers.map((s) => s.name);
      expect(names.sort()).toEqual([host, isolated].sort());
    } finally {
      resumed.close();
    }
    const plain = await openSse(url("/events"), { "x-api-key": KEY });
    try {
      await plain.next();
      await rest(proxy.url, `/servers/${host}/restart`, { apiKey: KEY, method: "POST" });
      await plain.next((e) => e.event === "restart");
      expect(plain.received.filter((e) => e.event === "stats")).toEqual([]);
    } finally {
      plain.close();
    }
  });
});
