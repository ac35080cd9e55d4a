// Crash safety: a proxy killed with SIGKILL while 5 isolated servers run leaves
// its containers behind (nothing could clean up); the next start must remove
// every one of them. 20 kills in a row, zero containers leaked.
import path from "node:path";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containersOfInstance, forceRemove } from "../src/docker.ts";
import { waitAllReady } from "../src/mcp.ts";
import { startProxyProcess, type ProxyProcess } from "../src/proxy-process.ts";
import {
  fixtureServer,
  proxyConfig,
  tempDir,
  uniqueName,
  writeConfig,
  type TempDir,
} from "../src/servers.ts";

const KILLS = 20;
const SERVERS = 5;

describe("crash safety: SIGKILL of the proxy", () => {
  let temp: TempDir;
  let configPath: string;
  const names = Array.from({ length: SERVERS }, (_, i) => uniqueName(`crash${i}`));
  const instances: string[] = [];
  let live: ProxyProcess | undefined;

  beforeAll(async () => {
    const { node } = await ensureTestImages();
    temp = await tempDir();
    configPath = path.join(temp.dir, "mcp_config.json");
    // Three servers keep running when their stdin closes (running orphans), two exit (exited orphans).
    const servers = names.map((name, i) =>
      fixtureServer(name, { image: node, flags: i < 3 ? ["--ignore-stdin-eof"] : [] }),
    );
    await writeConfig(configPath, proxyConfig({ servers, logLevel: "warn" }));
  });

  afterAll(async () => {
    await live?.kill();
    // A failed run must not leave its containers to the next test run.
    for (const instance of instances) await forceRemove(await containersOfInstance(instance));
    await temp.remove();
  });

  it(`removes every container of a killed proxy on the next start, ${KILLS} times in a row`, async () => {
    let orphans: string[] = [];
    let roundsWithOrphans = 0;
    let previous: string | undefined;
    for (let round = 0; round <= KILLS; round++) {
      const proxy = await startProxyProcess({
        configPath,
        logDir: path.join(temp.dir, `logs-${round}`),
        readyTimeoutMs: 60_000,
      });
      live = proxy;
      instances.push(proxy.instanceId);

      // startProxy sweeps before it is ready: the killed proxy's containers are gone already.
      if (previous !== undefined) {
        const leaked = await containersOfInstance(previous);
        expect(
          leaked,
          `round ${round}: containers of the killed proxy ${previous} left after the restart`,
        ).toEqual([]);
        for (const id of orphans) expect(leaked).not.toContain(id);
      }
      if (round === KILLS) {
        // The last proxy stops gracefully and must remove its own containers too.
        expect(await proxy.stop()).toBe(0);
        live = undefined;
        expect(await containersOfInstance(proxy.instanceId)).toEqual([]);
        break;
      }

      const servers = await waitAllReady(proxy.url, proxy.apiKey, names, 60_000);
      const running = servers.map((s) => s.isolation.container_id).filter((id): id is string => id !== null);
      expect(running).toHaveLength(SERVERS);
      await proxy.kill();
      live = undefined;

      // Nothing cleaned up after the kill: the containers are still there (running or exited),
      // so the next start has real orphans to sweep. (A proxy of a parallel test project may
      // sweep them first: the sweep is engine-wide. Hence the count over all rounds below.)
      orphans = await containersOfInstance(proxy.instanceId);
      expect(orphans.length, `round ${round}: containers left by the kill`).toBeLessThanOrEqual(SERVERS);
      if (orphans.length === SERVERS) roundsWithOrphans += 1;
      previous = proxy.instanceId;
    }

    const leakedOverall = (await Promise.all(instances.map((id) => containersOfInstance(id)))).flat();
    expect(leakedOverall).toEqual([]);
    expect(instances).toHaveLength(KILLS + 1);
    expect(
      roundsWithOrphans,
      "rounds whose kill left all 5 containers for the next start",
    ).toBeGreaterThanOrEqual(KILLS / 2);
  }, 420_000);
});
