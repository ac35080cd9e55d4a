// Captures the real tools/list of each published server in servers.ts into
// bench/tool-search/corpus/<server>.json, the pinned corpus of the
// retrieve_tools evaluation. Run by hand when the pins change (not by bench):
//   node bench/tool-search/capture/capture.ts [--dir=/tmp/x] [--only=github,slack]
// Each server runs with dummy tokens in an empty network namespace
// (`unshare --net`) with network-probe.ts preloaded; a server that opened any
// socket while listing is reported and its list is not written.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { format, resolveConfig } from "prettier";
import { run } from "../../lib/exec.ts";
import { CAPTURED_SERVERS, type CapturedServerSpec } from "./servers.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, only: { type: "string" } } });
const installDir = values.dir ?? path.join(os.tmpdir(), "mcpproxy-tool-corpus");
const corpusDir = fileURLToPath(new URL("../corpus/", import.meta.url));
const probe = fileURLToPath(new URL("./network-probe.ts", import.meta.url));
const only = values.only?.split(",");
const specs = CAPTURED_SERVERS.filter((s) => !only || only.includes(s.server));

async function install(): Promise<void> {
  await mkdir(installDir, { recursive: true });
  const dependencies = Object.fromEntries(specs.map((s) => [s.package, s.version]));
  await writeFile(
    path.join(installDir, "package.json"),
    JSON.stringify({ name: "tool-corpus-capture", private: true, dependencies }, null, 2),
  );
  // --ignore-scripts: no browser or binary downloads; listing tools needs none.
  await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps"], {
    cwd: installDir,
    timeoutMs: 900_000,
  });
}

async function binOf(spec: CapturedServerSpec): Promise<string> {
  const pkgDir = path.join(installDir, "node_modules", spec.package);
  const pkg = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8")) as {
    version: string;
    bin?: string | Record<string, string>;
  };
  if (pkg.version !== spec.version)
    throw new Error(`${spec.package}: installed ${pkg.version}, pinned ${spec.version}`);
  const bins = typeof pkg.bin === "string" ? { [spec.package]: pkg.bin } : (pkg.bin ?? {});
  const bin = spec.bin ? bins[spec.bin] : Object.values(bins)[0];
  if (!bin) throw new Error(`${spec.package}: no bin ${spec.bin ?? ""}`);
  return path.join(pkgDir, bin);
}

async function listAll(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: 60_000 });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

async function capture(spec: CapturedServerSpec): Promise<void> {
  const home = await mkdtemp(path.join(os.tmpdir(), "tool-capture-home-"));
  const probeLog = path.join(home, "probe.log");
  const transport = new StdioClientTransport({
    command: "unshare",
    args: [
      "--map-root-user",
      "--net",
      "--",
      process.execPath,
      "--import",
      probe,
      await binOf(spec),
      ...(spec.args ?? []),
    ],
    env: { PATH: process.env.PATH ?? "", HOME: home, MCP_CAPTURE_PROBE_LOG: probeLog, ...spec.env },
    stderr: "ignore",
  });
  const client = new Client({ name: "mcpproxy-tool-capture", version: "1.0.0" });
  try {
    await client.connect(transport, { timeout: 60_000 });
    const tools = await listAll(client);
    const attempts = existsSync(probeLog) ? (await readFile(probeLog, "utf8")).trim().split("\n") : [];
    if (attempts.length > 0) {
      process.stderr.write(
        `${spec.server}: opened sockets while listing, not written:\n  ${attempts.join("\n  ")}\n`,
      );
      process.exitCode = 1;
      return;
    }
    const entry = {
      server: spec.server,
      package: spec.package,
      version: spec.version,
      networkAttempts: 0,
      tools: tools.map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
      })),
    };
    const file = path.join(corpusDir, `${spec.server}.json`);
    const options = (await resolveConfig(file)) ?? {};
    await writeFile(file, await format(JSON.stringify(entry), { ...options, filepath: file }));
    process.stderr.write(`${spec.server}: ${tools.length} tools\n`);
  } catch (error) {
    process.stderr.write(
      `${spec.server}: failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  } finally {
    await client.close().catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }
}

await mkdir(corpusDir, { recursive: true });
if (!existsSync(path.join(installDir, "node_modules"))) await install();
for (const spec of specs) await capture(spec);
