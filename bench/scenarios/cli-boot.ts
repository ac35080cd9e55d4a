// 6. CLI boot: the distributed `mcpproxy` binary (apps/cli/dist/bin.js, the
// esbuild bundle) against a bare `node -e 0` spawned in the same rounds, order
// alternating: `mcpproxy --version` to exit, and `mcpproxy serve` with an empty
// config until it prints "Ready". Builds the CLI first when dist/ is missing.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { CLI_BIN as BIN, ensureCliBuilt } from "../lib/cli-build.ts";
import { BenchError } from "../lib/exec.ts";
import type { Row } from "../lib/report.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface CliBootResult {
  bareNode: Summary;
  version: Summary;
  serveReady: Summary;
  /** 1-minute load average before and after the measures (the machine may be shared). */
  loadAverage: { before: number; after: number };
}

/** Wall time from spawn until the process exits (code 0) or prints `until` on stdout. */
async function timed(args: string[], env: NodeJS.ProcessEnv, until?: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "ignore"] });
  let seen = "";
  let readyAt: number | undefined;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    seen += chunk;
    if (until !== undefined && readyAt === undefined && seen.includes(until)) {
      readyAt = performance.now();
      child.kill("SIGTERM");
    }
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (until !== undefined) {
    if (readyAt === undefined)
      throw new BenchError(`\`${args.join(" ")}\` exited before printing "${until}"`);
    return readyAt - started;
  }
  if (code !== 0) throw new BenchError(`\`${args.join(" ")}\` exited with ${String(code)}`);
  return performance.now() - started;
}

export async function cliBoot(rounds: number, log: (line: string) => void): Promise<CliBootResult> {
  await ensureCliBuilt();
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-cli-boot-"));
  const config = path.join(dir, "mcp_config.json");
  await writeFile(config, JSON.stringify({ mcpServers: [] }));
  const env = { ...process.env, HOME: dir, XDG_STATE_HOME: dir, MCPPROXY_CONFIG: config, NO_COLOR: "1" };
  const loadBefore = os.loadavg()[0] ?? 0;
  const samples = { bareNode: [] as number[][], version: [] as number[][], serveReady: [] as number[][] };
  const measures = [
    ["bareNode", () => timed(["-e", "0"], env)],
    ["version", () => timed([BIN, "--version"], env)],
    ["serveReady", () => timed([BIN, "serve", "--listen", "127.0.0.1:0"], env, "Ready")],
  ] as const;
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const list of Object.values(samples)) list.push([]);
      for (let i = 0; i < 10; i += 1) {
        // Alternate the order so no measure always runs on a warmer machine than another.
        const order = i % 2 === 0 ? measures : [...measures].reverse();
        for (const [key, measure] of order) samples[key][round]?.push(await measure());
      }
      log(`cli boot round ${round + 1}/${rounds}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const loadAverage = { before: loadBefore, after: os.loadavg()[0] ?? 0 };
  log(
    `cli boot: 1-minute load average ${loadAverage.before.toFixed(2)} before, ${loadAverage.after.toFixed(2)} after`,
  );
  return {
    bareNode: summarize(samples.bareNode),
    version: summarize(samples.version),
    serveReady: summarize(samples.serveReady),
    loadAverage,
  };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

export function cliBootRows(r: CliBootResult): Row[] {
  const version = r.version.p50 / r.bareNode.p50;
  const serve = r.serveReady.p50 / r.bareNode.p50;
  const baseline = `${ms(r.bareNode.p50)} (node -e 0)`;
  return [
    {
      id: "6",
      measure: "`mcpproxy --version` to exit, p50 (bundled CLI)",
      ours: ms(r.version.p50),
      baseline,
      compared: `${version.toFixed(2)}×`,
      target: "≤ 2×",
      verdict: version <= 2 ? "met" : `missed (${version.toFixed(2)}×)`,
    },
    {
      id: "6",
      measure: '`mcpproxy serve` with an empty config to "Ready", p50',
      ours: ms(r.serveReady.p50),
      baseline,
      compared: `${serve.toFixed(2)}×`,
      target: "≤ 4×",
      verdict: serve <= 4 ? "met" : `missed (${serve.toFixed(2)}×)`,
    },
  ];
}
