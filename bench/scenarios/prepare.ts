// 6. Prepared images (issue 15): cold start to a listed tool of the same real
//    npm server (@modelcontextprotocol/server-memory), from its prepared image
//    with --network none vs `npx -y <pkg>` at start (which downloads and
//    installs the package in the fresh --rm container; host network here, as
//    the engine gives bridge containers no route out, with the host's CA
//    bundle mounted so npm trusts the TLS proxy). Rounds alternate the order.
//    Also the one-time build time (no layer cache) and the image sizes.
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ensurePreparedImage, prunePreparedImages } from "@mcpproxy/lifecycle";
import { parseRunnerCommand } from "@mcpproxy/prepare";
import { docker, removeContainers, BenchError } from "../lib/exec.ts";
import { uniqueName } from "../lib/clients.ts";
import type { Row } from "../lib/report.ts";
import { summarize, type Summary } from "../lib/stats.ts";

const PACKAGE = "@modelcontextprotocol/server-memory";
const SERVER = "bench-memory";

export interface PrepareResult {
  package: string;
  version: string;
  /** Prepared image, --network none: spawn to tools/list answered. */
  prepared: Summary;
  /** `npx -y PACKAGE` in the base image at start (downloads every time). */
  npxAtStart: Summary;
  buildMs: number;
  preparedBytes: number;
  baseBytes: number;
}

async function timeToTools(args: string[], name: string): Promise<number> {
  const client = new Client({ name: "mcpproxy-bench", version: "1.0.0" });
  const transport = new StdioClientTransport({
    command: "docker",
    args: ["run", "-i", "--rm", "--name", name, ...args],
    stderr: "ignore",
  });
  const started = performance.now();
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    if (!tools.some((tool) => tool.name === "read_graph"))
      throw new BenchError(`${PACKAGE} listed no read_graph tool`);
    return performance.now() - started;
  } finally {
    await client.close().catch(() => undefined);
    await removeContainers([name]);
  }
}

async function imageBytes(ref: string): Promise<number> {
  return Number((await docker(["image", "inspect", "--format", "{{.Size}}", ref])).trim());
}

export async function preparedStart(
  baseImage: string,
  rounds: number,
  log: (line: string) => void,
): Promise<PrepareResult> {
  const parsed = parseRunnerCommand("npx", ["-y", PACKAGE]);
  if (!parsed.ok) throw new BenchError(parsed.reason.message);
  const buildStarted = performance.now();
  const image = await ensurePreparedImage({
    server: SERVER,
    spec: parsed.spec,
    baseImage,
    update: true,
    noCache: true,
  });
  const buildMs = performance.now() - buildStarted;
  log(
    `prepare: built ${image.tag} (${image.labels.package.name}@${image.labels.package.version}) in ${(buildMs / 1000).toFixed(1)} s`,
  );
  const ca = process.env["NODE_EXTRA_CA_CERTS"];
  const caArgs =
    ca === undefined
      ? []
      : ["-v", `${ca}:/etc/mcpproxy-host-ca.pem:ro`, "-e", "NODE_EXTRA_CA_CERTS=/etc/mcpproxy-host-ca.pem"];
  const prepared: number[] = [];
  const npx: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const runPrepared = async () =>
        prepared.push(await timeToTools(["--network", "none", image.tag], uniqueName("bench-prepared")));
      const runNpx = async () =>
        npx.push(
          await timeToTools(
            [
              "--network",
              "host",
              ...caArgs,
              "-e",
              "npm_config_update_notifier=false",
              baseImage,
              "npx",
              "-y",
              PACKAGE,
            ],
            uniqueName("bench-npx"),
          ),
        );
      const order = round % 2 === 0 ? [runPrepared, runNpx] : [runNpx, runPrepared];
      for (const measure of order) await measure();
      log(
        `prepare: round ${round + 1}/${rounds}: prepared ${prepared.at(-1)?.toFixed(0)} ms, npx at start ${npx.at(-1)?.toFixed(0)} ms`,
      );
    }
    return {
      package: PACKAGE,
      version: image.labels.package.version,
      prepared: summarize([prepared]),
      npxAtStart: summarize([npx]),
      buildMs,
      preparedBytes: await imageBytes(image.tag),
      baseBytes: await imageBytes(baseImage),
    };
  } finally {
    await prunePreparedImages({ servers: [SERVER] });
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export function prepareRows(r: PrepareResult): Row[] {
  const p50 = r.prepared.p50 / r.npxAtStart.p50;
  return [
    {
      id: "6",
      measure: `Cold start to a listed tool, p50: prepared image (network none) vs npx -y at start (${r.package}@${r.version})`,
      ours: ms(r.prepared.p50),
      baseline: `${ms(r.npxAtStart.p50)} (npx -y, host network)`,
      compared: `${p50.toFixed(2)}×`,
      target: "≤ 0.20×",
      verdict: p50 <= 0.2 ? "met" : `missed (${p50.toFixed(2)}×)`,
    },
    {
      id: "6",
      measure: "Prepared image: one-time build (resolve + install, no layer cache) and size",
      ours: `${(r.buildMs / 1000).toFixed(1)} s, ${mb(r.preparedBytes)}`,
      baseline: `base image ${mb(r.baseBytes)}`,
      compared: `+${mb(r.preparedBytes - r.baseBytes)}`,
      target: "—",
      verdict: "info",
    },
  ];
}
