// Live resource use in REST: GET /servers/{name}/stats and `resources` in the
// server view, from a real container with real limits.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  isolatedEverything,
  plainEverything,
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitFor,
  waitReady,
  type TempDir,
} from "./helpers.ts";

const KEY = "stats-key";
const MiB = 1024 * 1024;

interface StatsAnswer {
  name: string;
  state: string;
  detail: string;
  stats: {
    memory: { used_bytes: number; limit_bytes: number; percent: number };
    cpu: { percent: number; limit_cpus: number | null; percent_of_limit: number | null };
    pids: { current: number; limit: number | null };
    oom_kills: number;
  } | null;
}

/** Beside the server, fills the container's memory cgroup to ~95 % and holds it (cgroup v1 or v2). */
const HOARDER = [
  'const fs = require("node:fs");',
  'const read = (v1, v2) => { try { return fs.readFileSync("/sys/fs/cgroup/memory/" + v1, "utf8"); } catch { return fs.readFileSync("/sys/fs/cgroup/" + v2, "utf8"); } };',
  'const limit = Number(read("memory.limit_in_bytes", "memory.max")); const hoard = [];',
  'setInterval(() => { if (Number(read("memory.usage_in_bytes", "memory.current")) < 0.95 * limit) hoard.push(Buffer.alloc(1 << 20, 1)); }, 5);',
].join(" ");

describe("server stats in REST", () => {
  const isolated = uniqueName("stats");
  const host = uniqueName("host");
  const hungry = uniqueName("hungry");
  let tmp: TempDir;
  let proxy: RunningProxy;

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, {
      api_key: KEY,
      mcpServers: [
        isolatedEverything(isolated, {
          image: images.everything,
          memory_limit: "200m",
          cpu_limit: "0.5",
          pids_limit: 64,
        }),
        plainEverything(host),
        {
          name: hungry,
          command: "sh",
          args: ["-c", `node -e '${HOARDER}' & exec mcp-server-everything stdio`],
          isolation: { enabled: true, image: images.everything, network_mode: "none", memory_limit: "192m" },
        },
      ],
    });
    await waitReady(proxy.url, KEY, [isolated, host, hungry]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("GET /servers/{name}/stats reports memory against the limit, CPU against cpus, pids", async () => {
    const answer = await waitFor(async () => {
      const { status, body } = await rest<StatsAnswer>(proxy.url, `/servers/${isolated}/stats`, {
        apiKey: KEY,
      });
      expect(status).toBe(200);
      return body.stats === null ? undefined : body;
    }, "the first stats sample");
    expect(answer.state).toBe("ready");
    expect(answer.stats?.memory.limit_bytes).toBe(200 * MiB);
    expect(answer.stats?.memory.used_bytes).toBeGreaterThan(0);
    expect(answer.stats?.cpu.limit_cpus).toBe(0.5);
    expect(answer.stats?.pids.limit).toBe(64);
    expect(answer.stats?.oom_kills).toBe(0);

    const { body: view } = await rest<{ resources: StatsAnswer["stats"] }>(
      proxy.url,
      `/servers/${isolated}`,
      { apiKey: KEY },
    );
    expect(view.resources?.memory.limit_bytes).toBe(200 * MiB);
  });

  it("a server above 90 % of its memory limit gets a warning line and a doctor finding with the fix", async () => {
    const finding = await waitFor(async () => {
      const { body } = await rest<{
        servers: { name: string; findings: { code: string; fix: string; configSnippet?: unknown }[] }[];
      }>(proxy.url, "/diagnostics", { apiKey: KEY });
      return body.servers
        .find((s) => s.name === hungry)
        ?.findings.find((f) => f.code === "memory-near-limit");
    }, "the memory-near-limit finding");
    expect(finding.fix).toContain("`isolation.memory_limit` (now 192m) to 384m");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: hungry, isolation: { memory_limit: "384m" } }],
    });
    const { body: view } = await rest<{ findings: { code: string }[] }>(proxy.url, `/servers/${hungry}`, {
      apiKey: KEY,
    });
    expect(view.findings.map((f) => f.code)).toContain("memory-near-limit");
    const log = await readFile(path.join(tmp.dir, "logs", "main.log"), "utf8");
    expect(log).toMatch(
      new RegExp(
        `server ${hungry} uses \\d+\\.\\d % of its memory limit .*raise its isolation\\.memory_limit`,
      ),
    );
  });

  it("says why there are no stats for a host server, and 404 for an unknown one", async () => {
    const { status, body } = await rest<StatsAnswer>(proxy.url, `/servers/${host}/stats`, { apiKey: KEY });
    expect(status).toBe(200);
    expect(body.stats).toBeNull();
    expect(body.detail).toMatch(/runs on the host/);
    expect((await rest(proxy.url, "/servers/nope/stats", { apiKey: KEY })).status).toBe(404);
    const { body: view } = await rest<{ resources: unknown }>(proxy.url, `/servers/${host}`, { apiKey: KEY });
    expect(view.resources).toBeNull();
  });
});
