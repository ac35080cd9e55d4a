// 2 + 3. Warm `echo` latency, the same call six ways, measured round-robin in
// the same run: the SDK client straight on the container's stdio (through a
// hand-typed `docker run -i`, and through the Engine API attach the proxy uses); the proxy's
// /mcp in direct mode (`s1__echo`) and in retrieve mode (`call_tool`), each
// proxy the bundled `mcpproxy serve` in its own process; supergateway exposing the
// same container over Streamable HTTP; and the HTTP floor (an endpoint that
// answers at once, no upstream: what the HTTP hop alone costs this client).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  connectDirect,
  connectHttp,
  echoByName,
  echoViaCallTool,
  waitForTool,
  type EchoCall,
} from "../lib/clients.ts";
import { connectApiAttached } from "../lib/api-attach.ts";
import { startHttpFloor } from "../lib/http-floor.ts";
import { startSupergateway } from "../lib/peers.ts";
import { proxySetup, startChild, waitAllReady, type ProxyChild, type ProxySetup } from "../lib/proxy.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export type LatencyTarget =
  "direct" | "apiAttach" | "proxyDirect" | "proxyCallTool" | "supergateway" | "httpFloor";
export type LatencyResult = Record<LatencyTarget, Summary> & {
  callsPerRound: number;
  rounds: number;
  /** CPU time (user + system) the proxy process spent per measured call: where a call's cost goes. */
  proxyCpuMsPerCall: { proxyDirect: number; proxyCallTool: number };
  /** The 1-minute load average at each round's end (the machine is shared). */
  load: number[];
};

const WARMUP_CALLS = 200;

/** CPU time (user + system) of a process so far, from /proc (Linux); undefined elsewhere. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function measure(call: EchoCall, count: number, tag: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const message = `${tag}-${i}`;
    const started = performance.now();
    await call(message);
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function warmLatency(
  image: string,
  rounds: number,
  callsPerRound: number,
  log: (line: string) => void,
): Promise<LatencyResult> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const direct = await connectDirect(image);
    cleanups.push(() => direct.close());
    const attached = await connectApiAttached(image);
    cleanups.push(() => attached.close());

    const proxies: { setup: ProxySetup; proxy: ProxyChild; client: Client }[] = [];
    for (const toolsMode of ["direct", "retrieve"] as const) {
      const setup = await proxySetup({ image, count: 1, toolsMode });
      cleanups.push(() => setup.remove());
      const proxy = await startChild(setup);
      cleanups.push(() => proxy.stop());
      await waitAllReady(proxy.url, 1);
      const client = await connectHttp(proxy.mcpUrl);
      cleanups.push(() => client.close());
      proxies.push({ setup, proxy, client });
    }
    const [directMode, retrieveMode] = proxies;
    if (directMode === undefined || retrieveMode === undefined) throw new Error("proxies missing");
    await waitForTool(directMode.client, "s1__echo");

    const gateway = await startSupergateway(image);
    cleanups.push(() => gateway.stop());
    const gatewayClient = await connectHttp(gateway.mcpUrl);
    cleanups.push(() => gatewayClient.close());
    const floor = await startHttpFloor();
    cleanups.push(() => floor.stop());
    const floorClient = await connectHttp(floor.mcpUrl);
    cleanups.push(() => floorClient.close());

    const proxyPids: Partial<Record<LatencyTarget, number>> = {
      proxyDirect: directMode.proxy.pid,
      proxyCallTool: retrieveMode.proxy.pid,
    };
    const proxyCpuMs = { proxyDirect: 0, proxyCallTool: 0 };
    const load: number[] = [];
    const calls: Record<LatencyTarget, EchoCall> = {
      direct: echoByName(direct.client, "echo"),
      apiAttach: echoByName(attached.client, "echo"),
      proxyDirect: echoByName(directMode.client, "s1__echo"),
      proxyCallTool: echoViaCallTool(retrieveMode.client, "s1"),
      supergateway: echoByName(gatewayClient, "echo"),
      httpFloor: echoByName(floorClient, "echo"),
    };
    const targets = Object.keys(calls) as LatencyTarget[];
    for (const target of targets) await measure(calls[target], WARMUP_CALLS, `warm-${target}`);

    const samples = Object.fromEntries(targets.map((t) => [t, [] as number[][]])) as Record<
      LatencyTarget,
      number[][]
    >;
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no target always runs first (or right after a GC-heavy one).
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as LatencyTarget);
      const medians: string[] = [];
      for (const target of order) {
        const pid = proxyPids[target];
        const cpuBefore = pid === undefined ? undefined : cpuMsOf(pid);
        const got = await measure(calls[target], callsPerRound, `r${round}-${target}`);
        const cpuAfter = pid === undefined ? undefined : cpuMsOf(pid);
        if ((target === "proxyDirect" || target === "proxyCallTool") && cpuBefore !== undefined)
          proxyCpuMs[target] += (cpuAfter ?? cpuBefore) - cpuBefore;
        samples[target].push(got);
        medians.push(`${target} p50 ${summarize([got]).p50.toFixed(3)} ms`);
      }
      load.push(loadavg()[0] ?? 0);
      log(`latency round ${round + 1}/${rounds}: ${medians.join(", ")}; load ${load.at(-1)?.toFixed(1)}`);
    }
    const measured = rounds * callsPerRound;
    const perCall = {
      proxyDirect: proxyCpuMs.proxyDirect / measured,
      proxyCallTool: proxyCpuMs.proxyCallTool / measured,
    };
    log(
      `proxy CPU per call: direct mode ${perCall.proxyDirect.toFixed(2)} ms, retrieve mode ${perCall.proxyCallTool.toFixed(2)} ms`,
    );
    return {
      direct: summarize(samples.direct),
      apiAttach: summarize(samples.apiAttach),
      proxyDirect: summarize(samples.proxyDirect),
      proxyCallTool: summarize(samples.proxyCallTool),
      supergateway: summarize(samples.supergateway),
      httpFloor: summarize(samples.httpFloor),
      callsPerRound,
      rounds,
      proxyCpuMsPerCall: perCall,
      load,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
