// 1. Cold start to a ready server (initialize + tools/list answered):
//    through the proxy (isolated) vs a hand-typed `docker run -i --rm` of the
//    same image driven by the SDK client directly. Rounds alternate the order.
import { performance } from "node:perf_hooks";
import { connectDirect, connectHttp, waitForTool } from "../lib/clients.ts";
import { containersWithLabel, docker } from "../lib/exec.ts";
import { proxySetup, startChild, startInProcess } from "../lib/proxy.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface ColdStartResult {
  /** SDK client → `docker run -i --rm`: spawn to tools/list answered. */
  direct: Summary;
  /** startProxy() (in this process) to `s1__echo` listed on /mcp. */
  proxy: Summary;
  /** The proxy as its own Node process (the bundled `mcpproxy serve`): spawn to `s1__echo` listed. */
  proxyProcess: Summary;
  /** The `docker run` flags the proxy used, for the report. */
  proxyDockerArgs: string;
}

async function direct(image: string): Promise<number> {
  const started = performance.now();
  const server = await connectDirect(image);
  await server.client.listTools();
  const took = performance.now() - started;
  await server.close();
  return took;
}

async function throughProxy(image: string): Promise<number> {
  const setup = await proxySetup({ image, count: 1, toolsMode: "direct" });
  try {
    const started = performance.now();
    const proxy = await startInProcess(setup);
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

async function throughProxyProcess(image: string): Promise<number> {
  const setup = await proxySetup({ image, count: 1, toolsMode: "direct" });
  try {
    const started = performance.now();
    const proxy = await startChild(setup);
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

function describeHostConfig(host: HostConfig): string {
  const flags = [`--network ${host.NetworkMode ?? "?"}`];
  if (host.Memory) flags.push(`--memory ${Math.round(host.Memory / 2 ** 20)}m`);
  if (host.NanoCpus) flags.push(`--cpus ${host.NanoCpus / 1e9}`);
  if (host.PidsLimit) flags.push(`--pids-limit ${host.PidsLimit}`);
  if (host.ReadonlyRootfs === true) flags.push("--read-only");
  for (const cap of host.CapDrop ?? []) flags.push(`--cap-drop ${cap}`);
  for (const opt of host.SecurityOpt ?? []) flags.push(`--security-opt ${opt}`);
  return flags.join(" ");
}

/** The flags of the container the proxy runs (docker inspect of a live one). */
async function proxyDockerArgs(image: string): Promise<string> {
  const setup = await proxySetup({ image, count: 1, toolsMode: "direct" });
  const proxy = await startInProcess(setup);
  try {
    const client = await connectHttp(proxy.mcpUrl);
    await waitForTool(client, "s1__echo");
    await client.close();
    const [id] = await containersWithLabel(`io.mcpproxy.instance=${proxy.instanceId}`);
    if (id === undefined) return "unknown";
    const host = JSON.parse(await docker(["inspect", "--format", "{{json .HostConfig}}", id])) as HostConfig;
    return describeHostConfig(host);
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
  const samples = { direct: [] as number[][], proxy: [] as number[][], proxyProcess: [] as number[][] };
  // One unmeasured start of each, so the page cache holds the image and the proxy's modules.
  await direct(image);
  await throughProxy(image);
  for (let round = 0; round < rounds; round++) {
    const order =
      round % 2 === 0
        ? (["direct", "proxy", "proxyProcess"] as const)
        : (["proxy", "proxyProcess", "direct"] as const);
    const got: Record<string, number> = {};
    for (const which of order) {
      const took =
        which === "direct"
          ? await direct(image)
          : which === "proxy"
            ? await throughProxy(image)
            : await throughProxyProcess(image);
      samples[which].push([took]);
      got[which] = took;
    }
    log(
      `cold start round ${round + 1}/${rounds}: direct ${got.direct?.toFixed(0)} ms, proxy ${got.proxy?.toFixed(0)} ms, ` +
        `proxy process ${got.proxyProcess?.toFixed(0)} ms`,
    );
  }
  return {
    direct: summarize(samples.direct),
    proxy: summarize(samples.proxy),
    proxyProcess: summarize(samples.proxyProcess),
    proxyDockerArgs: await proxyDockerArgs(image),
  };
}
