// Engine restart: the Docker engine under a running proxy stops and comes back.
// Its servers go `restarting` and then `ready` again (with the default restart
// policy); calls made in between fail within the per-call timeout with a clear
// error, none hangs; and no container is left on the engine afterwards. Runs
// against a private dockerd, never the shared engine other tests use.
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callThroughProxy,
  connectClient,
  errorCodeOf,
  listServers,
  textOf,
  waitAllReady,
} from "../src/mcp.ts";
import { privateEngineUnavailable, startPrivateEngine, type PrivateEngine } from "../src/private-dockerd.ts";
import { startProxyProcess, type ProxyProcess } from "../src/proxy-process.ts";
import {
  fixtureServer,
  proxyConfig,
  tempDir,
  uniqueName,
  writeConfig,
  type TempDir,
} from "../src/servers.ts";

const CALL_TIMEOUT_MS = 3_000;
/** Slack over the call timeout for "did not hang": HTTP, scheduling, a loaded CI machine. */
const HANG_SLACK_MS = 3_000;
/** How long the engine stays down: longer than the call timeout, so calls must fail in between. */
const DOWNTIME_MS = 4_500;

const unavailable = await privateEngineUnavailable();
if (unavailable !== undefined) {
  process.stderr.write(`engine-restart test skipped: ${unavailable}\n`);
}

interface CallRecord {
  server: string;
  startedAt: number;
  ms: number;
  ok: boolean;
  code: string | undefined;
  text: string;
}

describe.skipIf(unavailable !== undefined)("engine restart under a running proxy", () => {
  let temp: TempDir;
  let engine: PrivateEngine | undefined;
  let proxy: ProxyProcess | undefined;
  let client: Client | undefined;
  const names = [uniqueName("eng-a"), uniqueName("eng-b")];

  beforeAll(async () => {
    const { node } = await ensureTestImages();
    temp = await tempDir();
    engine = await startPrivateEngine();
    await engine.loadImage(node);
    const configPath = path.join(temp.dir, "mcp_config.json");
    await writeConfig(
      configPath,
      proxyConfig({ servers: names.map((name) => fixtureServer(name, { image: node })), logLevel: "info" }),
    );
    proxy = await startProxyProcess({
      configPath,
      logDir: path.join(temp.dir, "logs"),
      env: { DOCKER_HOST: engine.host },
      callTimeoutMs: CALL_TIMEOUT_MS,
    });
    await waitAllReady(proxy.url, proxy.apiKey, names);
    client = await connectClient(proxy.mcpUrl, proxy.apiKey);
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await proxy?.stop();
    await engine?.destroy();
    await temp.remove();
  });

  it("servers go restarting and come back; calls in between fail fast and clearly; nothing leaks", async () => {
    if (proxy === undefined || engine === undefined || client === undefined) throw new Error("setup failed");
    const running = proxy;
    const mcp = client;
    const before = await listServers(running.url, running.apiKey);
    const oldContainers = before.map((s) => s.isolation.container_id);
    expect(oldContainers.every((id) => id !== null)).toBe(true);

    const records: CallRecord[] = [];
    let calling = true;
    const caller = (async () => {
      let n = 0;
      while (calling) {
        await Promise.all(
          names.map(async (server) => {
            const message = `m${n}`;
            const startedAt = Date.now();
            const result = await callThroughProxy(mcp, `${server}:echo`, { message }, 60_000);
            records.push({
              server,
              startedAt,
              ms: Date.now() - startedAt,
              ok: result.isError !== true && textOf(result) === `Echo: ${message}`,
              code: errorCodeOf(result),
              text: textOf(result),
            });
          }),
        );
        n += 1;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();

    const seen = new Map<string, Set<string>>(names.map((name) => [name, new Set<string>()]));
    const watchStates = async (until: () => boolean) => {
      while (!until()) {
        for (const server of await listServers(running.url, running.apiKey).catch(() => [])) {
          seen.get(server.name)?.add(server.state);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedAt = Date.now();
    await engine.stop();
    let downFor = false;
    const downWatch = watchStates(() => downFor);
    await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
    downFor = true;
    await downWatch;
    await engine.start();
    const restartedAt = Date.now();

    const after = await waitAllReady(running.url, running.apiKey, names, 60_000);
    const recoveredAt = Date.now();
    // A few more calls after the recovery, then stop calling.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    calling = false;
    await caller;

    for (const name of names) {
      expect([...(seen.get(name) ?? [])], `states of ${name} while the engine was down`).toContain(
        "restarting",
      );
      expect([...(seen.get(name) ?? [])]).not.toContain("failed");
    }
    for (const server of after) expect(server.isolation.container_id).not.toBeNull();
    expect(after.map((s) => s.isolation.container_id)).not.toEqual(oldContainers);

    // None hangs: every call settled within the call timeout (plus slack).
    const hung = records.filter((r) => r.ms > CALL_TIMEOUT_MS + HANG_SLACK_MS);
    expect(hung.map((r) => `${r.server} ${r.ms} ms`)).toEqual([]);
    // Calls made in the outage failed, each with a clear error: a code, the server's name, and
    // its real state (never "is ready" for a call that just failed).
    const outage = records.filter((r) => r.startedAt >= stoppedAt && r.startedAt < recoveredAt);
    const failed = outage.filter((r) => !r.ok);
    expect(
      failed.filter((r) => r.startedAt < restartedAt).length,
      "calls failed while the engine was down",
    ).toBeGreaterThan(0);
    for (const r of failed) {
      expect(["UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE"], r.text).toContain(r.code);
      expect(r.text).toContain(r.server);
      expect(r.text).toMatch(/restarting|starting|engine|closed|exited|stopped/i);
      expect(r.text).not.toMatch(/ is ready\b/);
    }
    // After the recovery every call succeeds again.
    const later = records.filter((r) => r.startedAt > recoveredAt);
    expect(later.length).toBeGreaterThan(0);
    expect(later.filter((r) => !r.ok).map((r) => r.text)).toEqual([]);

    // Stopping the proxy leaves nothing on the engine: not the new containers, not the ones the outage killed.
    expect(await running.stop()).toBe(0);
    proxy = undefined;
    const left = await engine.docker([
      "ps",
      "-a",
      "--filter",
      `label=io.mcpproxy.instance=${running.instanceId}`,
      "--format",
      "{{.ID}} {{.Status}}",
    ]);
    expect(left.split("\n").filter(Boolean)).toEqual([]);
  }, 240_000);
});
