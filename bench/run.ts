// `pnpm bench`: MCPProxy side by side with what a user would otherwise run.
// Prints a table, writes bench/results/latest.json and (after a full run)
// bench/RESULTS.md. Not part of `pnpm test`.
//   pnpm bench                  the full run (< 10 min on 2 cores)
//   pnpm bench --quick          one short round of everything; writes latest.json only
//   pnpm bench --only=latency   some of: cold,latency,scale,sweep,prepare,search,boot; writes latest.json only
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureNpmTestImage, ensureTestImages } from "@mcpproxy/test-images";
import { ensureCliBuilt } from "./lib/cli-build.ts";
import { docker, removeContainers } from "./lib/exec.ts";
import { machineInfo } from "./lib/machine.ts";
import { ensurePeersInstalled, supergatewayVersion } from "./lib/peers.ts";
import { rowsOf, textTable, type BenchResults } from "./lib/report.ts";
import { writeResultsMarkdown, type RunInfo } from "./lib/results-md.ts";
import { cliBoot, cliBootRows, type CliBootResult } from "./scenarios/cli-boot.ts";
import { coldStart } from "./scenarios/cold-start.ts";
import { warmLatency } from "./scenarios/latency.ts";
import { scale } from "./scenarios/scale.ts";
import { orphanSweep } from "./scenarios/sweep.ts";
import { preparedStart } from "./scenarios/prepare.ts";
import { toolSearch } from "./scenarios/tool-search.ts";

const SCENARIOS = ["cold", "latency", "scale", "sweep", "prepare", "search", "boot"] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const only = (values.only?.split(",").map((s) => s.trim()) ?? [...SCENARIOS]) as Scenario[];
for (const name of only) {
  if (!SCENARIOS.includes(name)) {
    process.stderr.write(`unknown scenario "${name}"; use some of: ${SCENARIOS.join(", ")}\n`);
    process.exit(2);
  }
}
const full = !values.quick && values.only === undefined;
const rounds = values.quick
  ? { coldStart: 1, latency: 1, latencyCalls: 100, scale: 1, sweep: 1, prepare: 1, search: 1 }
  : { coldStart: 5, latency: 5, latencyCalls: 400, scale: 3, sweep: 3, prepare: 3, search: 5 };

const log = (line: string) => process.stderr.write(`${line}\n`);
const startedAt = new Date();

await ensurePeersInstalled();
const images = await ensureTestImages();
const machine = await machineInfo();
const supergateway = await supergatewayVersion();
// The proxy runs as the bundled `mcpproxy serve` (cold, latency, scale) and is timed at boot: built before any clock starts.
if (only.some((name) => ["cold", "latency", "scale", "boot"].includes(name))) await ensureCliBuilt();
log(`bench on ${machine.cpu} × ${machine.cores}, Node ${machine.node}, Docker ${machine.dockerServer}`);

const results: BenchResults = {};
let boot: CliBootResult | undefined;
try {
  if (only.includes("cold")) results.coldStart = await coldStart(images.everything, rounds.coldStart, log);
  if (only.includes("latency")) {
    results.latency = await warmLatency(images.everything, rounds.latency, rounds.latencyCalls, log);
  }
  if (only.includes("scale")) results.scale = await scale(images.everything, [1, 10, 25], rounds.scale, log);
  if (only.includes("sweep")) results.sweep = await orphanSweep(images.node, 100, rounds.sweep, log);
  if (only.includes("prepare"))
    results.prepare = await preparedStart(await ensureNpmTestImage(), rounds.prepare, log);
  if (only.includes("search")) results.toolSearch = toolSearch(rounds.search, log);
  if (only.includes("boot")) boot = await cliBoot(rounds.sweep, log);
} finally {
  // Whatever failed, leave none of the benchmark's own containers (all named bench-…) behind.
  const named = await docker(["ps", "-aq", "--filter", "name=^bench-"]).catch(() => "");
  await removeContainers(named.split("\n").filter(Boolean));
}

const rows = [...rowsOf(results), ...(boot === undefined ? [] : cliBootRows(boot))];
process.stdout.write(`\n${textTable(rows)}\n\n`);

const durationMs = Date.now() - startedAt.getTime();
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
await mkdir(resultsDir, { recursive: true });
const json = {
  startedAt: startedAt.toISOString(),
  durationMs,
  machine,
  supergateway,
  rounds,
  results,
  boot,
  rows,
};
await writeFile(`${resultsDir}latest.json`, `${JSON.stringify(json, null, 2)}\n`);
log(`wrote bench/results/latest.json (${(durationMs / 1000).toFixed(0)} s)`);

if (full) {
  const info: RunInfo = {
    startedAt,
    durationMs,
    machine,
    supergateway,
    rounds,
    proxyDockerArgs: results.coldStart?.proxyDockerArgs,
  };
  await writeResultsMarkdown(fileURLToPath(new URL("./RESULTS.md", import.meta.url)), rows, info);
  log("wrote bench/RESULTS.md");
}
