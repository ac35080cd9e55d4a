// 1. Cold start to a ready server (initialize + tools/list answered):
//    through the proxy (isolated) vs a hand-typed `docker run -i --rm` of the
//    same image driven by the SDK client directly, and vs the same hand-typed
//    run with the limits the proxy's container had (what the limits cost apart
//    from what the proxy costs). Rounds rotate the order.
import { performance } from "node:perf_hooks";
import { connectDirect, connectHttp, waitForTool } from "../lib/clients.ts";
import { containersWithLabel, docker } from "../lib/exec.ts";
import { proxySetup, startChild, startInProcess, type ProxySetup } from "../lib/proxy.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface ColdStartResult {
  /** SDK client → `docker run -i --rm`: spawn to tools/list answered. */
  direct: Summary;
  /** The same with the proxy's container flags added (`proxyDockerArgs`). */
  directSameFlags: Summary;
  /** startProxy() (in this process) to `s1__echo` listed on /mcp. */
  proxy: Summary;
  /** The proxy as its own Node process (the bundled `mcpproxy serve`): spawn to `s1__echo` listed. */
  proxyProcess: Summary;
  /** The `docker run` flags the proxy used, for the report. */
  proxyDockerArgs: string;
}

async function direct(image: string, flags: readonly string[] = []): Promise<number> {
  const started = performance.now();
  const server = await connectDirect(image, flags);
  await server.client.listTools();
  const took = performance.now() - started;
  await server.close();
  return took;
}

/** Starts a proxy with one isolated server (`start`) and times it until `s1__echo` is listed on /mcp. */
async function throughProxy(
  image: string,
  start: (setup: ProxySetup) => Promise<{ mcpUrl: string; stop(): Promise<void> }>,
): Promise<number> {
  const setup = await proxySetup({ image, count: 1, toolsMode: "direct" });
  try {
    const started = performance.now();
    const proxy = await start(setup);
    try {
      const client = await connectHttp(proxy.mcpUrl);
      await waitForTool(client, "s1__echo");
      const took = performance.now() - started;
      await client.close();
      return took;
    } finally {
      await proxy.stop();
    }
  } finally {
    await setup.remove();
  }
}

interface HostConfig {
  NetworkMode?: string;
  Memory?: number;
  NanoCpus?: number;
  PidsLimit?: number | null;
  ReadonlyRootfs?: boolean;
  CapDrop?: string[] | null;
  SecurityOpt?: string[] | null;
}

/** The isolation flags of a container's HostConfig, as `docker run` flags (network first). */
function flagsOfHostConfig(host: HostConfig): string[] {
  const flags = ["--network", host.NetworkMode ?? "?"];
  if (host.Memory) flags.push("--memory", `${Math.round(host.Memory / 2 ** 20)}m`);
  if (host.NanoCpus) flags.push("--cpus", String(host.NanoCpus / 1e9));
  if (host.PidsLimit) flags.push("--pids-limit", String(host.PidsLimit));
  if (host.ReadonlyRootfs === true) flags.push("--read-only");
  for (const cap of host.CapDrop ?? []) flags.push("--cap-drop", cap);
  for (const opt of host.SecurityOpt ?? []) flags.push("--security-opt", opt);
  return flags;
}

/** The flags of the container the proxy runs (docker inspect of a live one). */
async function proxyDockerFlags(image: string): Promise<string[]> {
  const setup = await proxySetup({ image, count: 1, toolsMode: "direct" });
  const proxy = await startInProcess(setup);
  try {
    const client = await connectHttp(proxy.mcpUrl);
    await waitForTool(client, "s1__echo");
    await client.close();
    const [id] = await containersWithLabel(`io.mcpproxy.instance=${proxy.instanceId}`);
    if (id === undefined) throw new Error("the proxy's container was not found");
    const host = JSON.parse(await docker(["inspect", "--format", "{{json .HostConfig}}", id])) as HostConfig;
    return flagsOfHostConfig(host);
  } finally {
    await proxy.stop();
    await setup.remove();
  }
}

export async function coldStart(
  image: string,
  rounds: number,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  // Also the unmeasured first start of the proxy (the page cache then holds the image and its modules).
  const flags = await proxyDockerFlags(image);
  // handTypedDockerRun has its own --network none; the rest are the limits.
  const limits = flags.slice(2);
  await direct(image);
  const runs = {
    direct: () => direct(image),
    directSameFlags: () => direct(image, limits),
    proxy: () => throughProxy(image, startInProcess),
    proxyProcess: () => throughProxy(image, startChild),
  };
  const names = Object.keys(runs) as (keyof typeof runs)[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[][]])) as Record<
    keyof typeof runs,
    number[][]
  >;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as keyof typeof runs);
    const got: string[] = [];
    for (const which of order) {
      const took = await runs[which]();
      samples[which].push([took]);
      got.push(`${which} ${took.toFixed(0)} ms`);
    }
    log(`cold start round ${round + 1}/${rounds}: ${got.join(", ")}`);
  }
  return {
    direct: summarize(samples.direct),
    directSameFlags: summarize(samples.directSameFlags),
    proxy: summarize(samples.proxy),
    proxyProcess: summarize(samples.proxyProcess),
    proxyDockerArgs: flags.join(" "),
  };
}
