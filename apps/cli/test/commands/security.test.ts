// `mcpproxy servers show|approve|quarantine` and `mcpproxy activity` against a
// running `mcpproxy serve`: a server added with `servers add` while it runs is
// quarantined, shown with its tools, approved, then its calls are on record.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeFile } from "node:fs/promises";
import { connectClient, uniqueName, waitFor } from "@mcpproxy/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  parseJson,
  runCli,
  serveRest,
  startServe,
  writeServeConfig,
  type RunningServe,
  type Sandbox,
} from "../run-cli.ts";

const API_KEY = "security-cli-test-key";
const fixture = fileURLToPath(
  new URL("../../../server/test/fixtures/described-upstream.ts", import.meta.url),
);
const name = uniqueName("added");
let sandbox: Sandbox;
let serve: RunningServe | undefined;
let port = 0;

interface Review {
  trust: string;
  offered: number;
  withheld: number;
  tools: { name: string; status: string; reason: string | null }[];
}

function waitForTools(server: string): Promise<Review> {
  return waitFor(async () => {
    const review = await serveRest<Review>(port, API_KEY, `/servers/${server}/security`);
    return review.tools.length > 0 ? review : undefined;
  }, `${server} to list its tools`);
}

beforeAll(async () => {
  sandbox = await createSandbox();
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
  port = await writeServeConfig(sandbox, { api_key: API_KEY, mcpServers: [] });
  serve = await startServe(sandbox);
});

afterAll(async () => {
  await serve?.stop();
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
    const client = await connectClient(`http://127.0.0.1:${port}/mcp`, API_KEY, {
      name: "cli-security-test",
    });
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
