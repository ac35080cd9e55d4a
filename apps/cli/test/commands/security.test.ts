// `mcpproxy servers show|approve|quarantine` and `mcpproxy activity` against a
// running `mcpproxy serve`: a server added with `servers add` while it runs is
// quarantined, shown with its tools, approved, then its calls are on record.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  freePort,
  parseJson,
  runCli,
  spawnCli,
  waitForOutput,
  type Sandbox,
} from "../run-cli.ts";

const API_KEY = "security-cli-test-key";
const fixture = fileURLToPath(
  new URL("../../../server/test/fixtures/described-upstream.ts", import.meta.url),
);
const name = `added-${randomBytes(3).toString("hex")}`;
let sandbox: Sandbox;
let serve: ReturnType<typeof spawnCli>;
let port = 0;

interface Review {
  trust: string;
  offered: number;
  withheld: number;
  tools: { name: string; status: string; reason: string | null }[];
}

async function reviewOf(server: string): Promise<{ status: number; body: Review }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/servers/${server}/security`, {
    headers: { "X-API-Key": API_KEY },
  });
  return { status: response.status, body: (await response.json()) as Review };
}

async function waitForTools(server: string): Promise<Review> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const answer = await reviewOf(server).catch(() => undefined);
    if (answer?.status === 200 && answer.body.tools.length > 0) return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${server} never listed its tools`);
}

beforeAll(async () => {
  sandbox = await createSandbox();
  port = await freePort();
  await writeFile(
    path.join(sandbox.dir, "tools.json"),
    JSON.stringify([
      {
        name: "wipe_disk",
        description: "Erase every file on a disk.",
        annotations: { readOnlyHint: false, destructiveHint: true },
      },
      { name: "disk_usage", description: "How full each disk is.", annotations: { readOnlyHint: true } },
    ]),
  );
  await sandbox.writeConfig({ listen: `127.0.0.1:${port}`, api_key: API_KEY, mcpServers: [] });
  serve = spawnCli(sandbox, ["serve"], { timeoutMs: 600_000 });
  await waitForOutput(serve.stdout, /Ready: /);
});

afterAll(async () => {
  serve?.kill("SIGTERM");
  await serve?.catch(() => undefined);
  await sandbox?.cleanup();
});

describe("servers show/approve/quarantine and activity", () => {
  it("shows a server added while running as quarantined, with its tools", async () => {
    const added = await runCli(sandbox, [
      "servers",
      "add",
      name,
      "--no-isolate",
      "--",
      process.execPath,
      fixture,
      path.join(sandbox.dir, "tools.json"),
    ]);
    expect(added.exitCode, added.stderr).toBe(0);
    expect((await waitForTools(name)).trust).toBe("quarantined");
    const shown = await runCli(sandbox, ["servers", "show", name]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${name}: quarantined (added to the config file while running)`);
    expect(shown.stdout).toContain("wipe_disk  withheld (quarantined)  destructive");
    expect(shown.stdout).toContain("Erase every file on a disk.");
    expect(shown.stdout).toContain(`Approve with: mcpproxy servers approve ${name}`);
  });

  it("approves one tool, then the rest, and quarantines again", async () => {
    const one = await runCli(sandbox, ["servers", "approve", name, "--tool", "disk_usage", "--json"]);
    expect(one.exitCode, one.stderr).toBe(0);
    expect(parseJson<Review>(one)).toMatchObject({ trust: "trusted", offered: 1, withheld: 1 });
    const unknown = await runCli(sandbox, ["servers", "approve", name, "--tool", "nope"]);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toContain('"nope"');
    const all = await runCli(sandbox, ["servers", "approve", name]);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stdout).toContain(`Approving 1 withheld tool(s) of ${name}:`);
    expect(all.stdout).toContain(`${name} is trusted: 2 tool(s) offered, 0 withheld`);
  });

  it("lists the calls in `mcpproxy activity`, with filters", async () => {
    const client = new Client({ name: "cli-security-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: { "x-api-key": API_KEY } },
      }),
    );
    await client.callTool({
      name: "call_tool",
      arguments: { name: `${name}:disk_usage`, args: { disk: "sda" } },
    });
    const quarantined = await runCli(sandbox, ["servers", "quarantine", name, "--reason", "audit"]);
    expect(quarantined.exitCode, quarantined.stderr).toBe(0);
    await client.callTool({ name: "call_tool", arguments: { name: `${name}:wipe_disk`, args: {} } });
    await client.close();

    const listed = await runCli(sandbox, ["activity", "--server", name, "--since", "1h", "--json"]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const entries = parseJson<{ entries: { tool: string; outcome: string; argumentKeys: string[] }[] }>(
      listed,
    ).entries;
    expect(entries.map((e) => `${e.tool}:${e.outcome}`)).toEqual(["wipe_disk:refused", "disk_usage:success"]);
    expect(entries[1]?.argumentKeys).toEqual(["disk"]);
    const table = await runCli(sandbox, ["activity", "--tool", "wipe_disk"]);
    expect(table.stdout).toMatch(/wipe_disk\s+refused/);
    const bad = await runCli(sandbox, ["activity", "--since", "yesterday"]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("expected a duration ago");
  });
});
