// Live resource use in REST: GET /servers/{name}/stats and `resources` in the
// server view, from a real container with real limits.
import path from "node:path";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type RunningProxy } from "../src/index.ts";
import {
  isolatedEverything,
  plainEverything,
  rest,
  tempDir,
  uniqueName,
  waitFor,
  waitReady,
  writeConfig,
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

describe("server stats in REST", () => {
  const isolated = uniqueName("stats");
  const host = uniqueName("host");
  let tmp: TempDir;
  let proxy: RunningProxy;

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    const configPath = path.join(tmp.dir, "mcp_config.json");
    await writeConfig(configPath, {
      api_key: KEY,
      mcpServers: [
        isolatedEverything(isolated, {
          image: images.everything,
          memory_limit: "200m",
          cpu_limit: "0.5",
          pids_limit: 64,
        }),
        plainEverything(host),
      ],
    });
    proxy = await startProxy({
      configPath,
      listen: "127.0.0.1:0",
      logDir: path.join(tmp.dir, "logs"),
      console: false,
    });
    await waitReady(proxy.url, KEY, [isolated, host]);
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
