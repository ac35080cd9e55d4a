// 4. Scale: 1, 10 and 25 isolated servers started together. Wall time from
// spawning the proxy process to every server ready (REST), and the proxy's
// RSS once they are; beside it, the same servers started by hand-typed
// `docker run -i --rm` SDK clients, all at once.
import { performance } from "node:perf_hooks";
import { connectDirect, type DirectServer } from "../lib/clients.ts";
import { BenchError, childPids, rssBytes, sleep } from "../lib/exec.ts";
import { proxySetup, startChild, waitAllReady } from "../lib/proxy.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface ScalePoint {
  servers: number;
  /** Proxy process spawn → all servers ready. */
  proxyWall: Summary;
  /** N SDK clients each spawning `docker run -i --rm`, started together → all initialized + tools listed. */
  directWall: Summary;
  /** Peak RSS of the proxy process over the second after all were ready, in MB. */
  proxyRssMb: Summary;
  /** RSS of the proxy's `docker run` CLI children (one per server), summed, in MB. */
  dockerCliRssMb: Summary;
}

async function proxyRound(image: string, count: number): Promise<{ wall: number; rss: number; cli: number }> {
  const setup = await proxySetup({ image, count, toolsMode: "retrieve" });
  try {
    const started = performance.now();
    const proxy = await startChild(setup);
    try {
      await waitAllReady(proxy.url, count);
      const wall = performance.now() - started;
      let rss = 0;
      let cli = 0;
      for (let i = 0; i < 10; i++) {
        rss = Math.max(rss, await rssBytes(proxy.pid));
        await sleep(100);
      }
      for (const pid of await childPids(proxy.pid)) cli += await rssBytes(pid).catch(() => 0);
      return { wall, rss: rss / 2 ** 20, cli: cli / 2 ** 20 };
    } finally {
      await proxy.stop();
    }
  } finally {
    await setup.remove();
  }
}

async function directRound(image: string, count: number): Promise<number> {
  const started = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const server = await connectDirect(image);
      await server.client.listTools();
      return server;
    }),
  );
  const wall = performance.now() - started;
  const servers = settled.flatMap((s): DirectServer[] => (s.status === "fulfilled" ? [s.value] : []));
  await Promise.all(servers.map((s) => s.close()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) {
    throw new BenchError(`a hand-typed docker run did not start: ${String(failed.reason)}`, {
      cause: failed.reason,
    });
  }
  return wall;
}

export async function scale(
  image: string,
  counts: number[],
  rounds: number,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const raw = new Map(
    counts.map((n) => [
      n,
      { proxy: [] as number[][], direct: [] as number[][], rss: [] as number[][], cli: [] as number[][] },
    ]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const count of counts) {
      const slot = raw.get(count);
      if (slot === undefined) continue;
      const proxy = await proxyRound(image, count);
      const direct = await directRound(image, count);
      slot.proxy.push([proxy.wall]);
      slot.rss.push([proxy.rss]);
      slot.cli.push([proxy.cli]);
      slot.direct.push([direct]);
      log(
        `scale round ${round + 1}/${rounds}, ${count} servers: proxy ${proxy.wall.toFixed(0)} ms (RSS ${proxy.rss.toFixed(0)} MB), ` +
          `hand-typed docker run ${direct.toFixed(0)} ms`,
      );
    }
  }
  return counts.map((servers) => {
    const slot = raw.get(servers) ?? { proxy: [], direct: [], rss: [], cli: [] };
    return {
      servers,
      proxyWall: summarize(slot.proxy),
      directWall: summarize(slot.direct),
      proxyRssMb: summarize(slot.rss),
      dockerCliRssMb: summarize(slot.cli),
    };
  });
}
