// 4. Scale: 1, 10 and 25 isolated servers started together. Wall time from
// spawning the proxy process to every server ready (REST), the RSS of the
// proxy and of every helper process it started once they are, and the proxy's
// CPU while idle with every server's stats stream open; beside it, the same
// servers started by hand-typed `docker run -i --rm` SDK clients, all at once.
import { performance } from "node:perf_hooks";
import { connectDirect, type DirectServer } from "../lib/clients.ts";
import { BenchError, childPids, cpuSeconds, rssBytes, sleep } from "../lib/exec.ts";
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
  /** RSS of every child process of the proxy (a `docker run` CLI per server on the CLI path), summed, in MB. */
  dockerCliRssMb: Summary;
  /** Child processes of the proxy once all were ready. */
  helperProcesses: Summary;
  /** Proxy CPU (% of one core) over 5 s idle with every server's stats stream open. */
  statsCpuPercent: Summary;
}

const STATS_WINDOW_MS = 5_000;

/** Waits until the proxy reports stats for every server (their stats streams are open). */
async function waitAllStats(url: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(new URL("/api/v1/servers", url));
    const body = (await response.json()) as { servers: { resources: unknown }[] };
    if (body.servers.filter((s) => s.resources !== null).length >= count) return;
    if (Date.now() > deadline) throw new BenchError(`stats of ${count} servers did not appear within 60 s`);
    await sleep(200);
  }
}

interface ProxyRound {
  wall: number;
  rss: number;
  cli: number;
  helpers: number;
  statsCpu: number;
}

async function proxyRound(image: string, count: number): Promise<ProxyRound> {
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
      const helpers = await childPids(proxy.pid);
      for (const pid of helpers) cli += await rssBytes(pid).catch(() => 0);
      await waitAllStats(proxy.url, count);
      const before = await cpuSeconds(proxy.pid);
      await sleep(STATS_WINDOW_MS);
      const statsCpu = ((await cpuSeconds(proxy.pid)) - before) / (STATS_WINDOW_MS / 1000);
      return {
        wall,
        rss: rss / 2 ** 20,
        cli: cli / 2 ** 20,
        helpers: helpers.length,
        statsCpu: statsCpu * 100,
      };
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
      {
        proxy: [] as number[][],
        direct: [] as number[][],
        rss: [] as number[][],
        cli: [] as number[][],
        helpers: [] as number[][],
        cpu: [] as number[][],
      },
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
      slot.helpers.push([proxy.helpers]);
      slot.cpu.push([proxy.statsCpu]);
      slot.direct.push([direct]);
      log(
        `scale round ${round + 1}/${rounds}, ${count} servers: proxy ${proxy.wall.toFixed(0)} ms (RSS ${proxy.rss.toFixed(0)} MB + ${proxy.helpers} helpers ${proxy.cli.toFixed(0)} MB, ` +
          `idle CPU with stats ${proxy.statsCpu.toFixed(1)}%), ` +
          `hand-typed docker run ${direct.toFixed(0)} ms`,
      );
    }
  }
  return counts.map((servers) => {
    const slot = raw.get(servers) ?? { proxy: [], direct: [], rss: [], cli: [], helpers: [], cpu: [] };
    return {
      servers,
      proxyWall: summarize(slot.proxy),
      directWall: summarize(slot.direct),
      proxyRssMb: summarize(slot.rss),
      dockerCliRssMb: summarize(slot.cli),
      helperProcesses: summarize(slot.helpers),
      statsCpuPercent: summarize(slot.cpu),
    };
  });
}
