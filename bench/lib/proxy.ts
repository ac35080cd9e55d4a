// The proxy under test: its config, started in this process (startProxy) or as
// its own process: the bundled `mcpproxy serve`, what a user runs.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startProxy, type RunningProxy } from "@mcpproxy/server";
import { CLI_BIN, ensureCliBuilt } from "./cli-build.ts";
import {
  BenchError,
  containersWithLabel,
  removeContainers,
  sleep,
  spawnProcess,
  type Spawned,
} from "./exec.ts";
import { isolatedEverythingConfig } from "./clients.ts";

export interface ProxySetup {
  dir: string;
  configPath: string;
  logDir: string;
  remove(): Promise<void>;
}

/** A temp dir with a config of `count` isolated everything servers (`s1`…), network "none". */
export async function proxySetup(options: {
  image: string;
  count: number;
  toolsMode: "direct" | "retrieve";
}): Promise<ProxySetup> {
  const dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-bench-"));
  const configPath = path.join(dir, "mcp_config.json");
  const names = Array.from({ length: options.count }, (_, i) => `s${i + 1}`);
  const config = {
    listen: "127.0.0.1:8080",
    // The bench measures proxying, not auth; its REST polls and clients send no key.
    allow_loopback_without_key: true,
    log_dir: path.join(dir, "logs"),
    tools_mode: options.toolsMode,
    ...isolatedEverythingConfig(options.image, names),
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir,
    configPath,
    logDir: path.join(dir, "logs"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** startProxy in this process on a free loopback port. */
export function startInProcess(setup: ProxySetup): Promise<RunningProxy> {
  return startProxy({
    configPath: setup.configPath,
    listen: "127.0.0.1:0",
    logDir: setup.logDir,
    console: false,
  });
}

export interface ProxyChild {
  url: string;
  mcpUrl: string;
  instanceId: string;
  pid: number;
  process: Spawned;
  /** SIGTERM (the proxy removes its containers), then a check that none is left. */
  stop(): Promise<void>;
}

/** Resolves with what `serve` printed once its "Ready:" line is out; rejects if it exits first. */
function serveOutput(spawned: Spawned, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new BenchError(`serve not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    spawned.child.stdout?.setEncoding("utf8");
    spawned.child.stdout?.on("data", (chunk: string) => {
      output += chunk;
      if (!/^Ready: /m.test(output)) return;
      clearTimeout(timer);
      resolve(output);
    });
    void spawned.exited.then(() => {
      clearTimeout(timer);
      reject(new BenchError(`serve exited before it was ready: ${spawned.stderrTail()}`));
    });
  });
}

/** The proxy as its own Node process: the bundled `mcpproxy serve`, as a user runs it. */
export async function startChild(setup: ProxySetup): Promise<ProxyChild> {
  await ensureCliBuilt();
  const spawned = spawnProcess(process.execPath, [CLI_BIN, "serve", "--listen", "127.0.0.1:0"], {
    ...process.env,
    MCPPROXY_CONFIG: setup.configPath,
    NO_COLOR: "1",
  });
  // The main log mirrored on stderr (JSON lines when it is not a terminal) names the run's instance first.
  let instanceId: string | undefined;
  spawned.child.stderr?.on("data", (chunk: string) => {
    instanceId ??= /"instance_id":"([0-9a-f]+)"/.exec(chunk)?.[1];
  });
  const output = await serveOutput(spawned, 120_000);
  const mcpUrl = /^MCP URL: (\S+)$/m.exec(output)?.[1];
  if (mcpUrl === undefined || instanceId === undefined)
    throw new BenchError(`serve did not say its URL and instance: ${output}${spawned.stderrTail()}`);
  const ready = { url: mcpUrl.replace(/\/mcp$/, ""), mcpUrl, instanceId };
  const pid = spawned.child.pid;
  if (pid === undefined) throw new BenchError("the proxy process has no pid");
  return {
    ...ready,
    pid,
    process: spawned,
    async stop() {
      await spawned.stop(60_000);
      const left = await containersWithLabel(`io.mcpproxy.instance=${ready.instanceId}`);
      if (left.length > 0) {
        await removeContainers(left);
        throw new BenchError(`the proxy left ${left.length} container(s) behind after SIGTERM`);
      }
    },
  };
}

interface ServerJson {
  name: string;
  state: string;
  tool_count: number;
}

/** Polls the REST API until every server is ready with its tools listed. */
export async function waitAllReady(url: string, count: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(new URL("/api/v1/servers", url));
    const { servers } = (await response.json()) as { servers: ServerJson[] };
    const ready = servers.filter((s) => s.state === "ready" && s.tool_count > 0).length;
    if (ready === count) return;
    const failed = servers.filter((s) => s.state === "failed").map((s) => s.name);
    if (failed.length > 0) throw new BenchError(`servers failed to start: ${failed.join(", ")}`);
    if (Date.now() > deadline) throw new BenchError(`${ready}/${count} servers ready after ${timeoutMs} ms`);
    await sleep(20);
  }
}
