// `mcpproxy ui` as a subprocess. No real browser is opened: the opener on PATH
// is either missing or a script that records the URL it was given.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "@mcpproxy/test-helpers";
import { createSandbox, runCli, type Sandbox } from "../run-cli.ts";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await sandbox.writeConfig({ listen: "0.0.0.0:18123", api_key: "k", mcpServers: [] });
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** A PATH of one empty directory (plus an optional fake xdg-open in it). */
async function binDir(): Promise<string> {
  const dir = path.join(sandbox.dir, "bin");
  await mkdir(dir, { recursive: true });
  return dir;
}

describe("mcpproxy ui", () => {
  it("--print prints the dashboard URL of the config's listen address (a wildcard host as loopback)", async () => {
    const result = await runCli(sandbox, ["ui", "--print"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("http://127.0.0.1:18123/ui/\n");
  });

  it("prints the URL and says why when no opener is on PATH", async () => {
    const result = await runCli(sandbox, ["ui"], { env: { PATH: await binDir() } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("http://127.0.0.1:18123/ui/\n");
    expect(result.stderr).toMatch(/No browser opener \(xdg-open\) is on PATH/);
  });

  it.skipIf(process.platform !== "linux")("hands the URL to xdg-open when there is one", async () => {
    const dir = await binDir();
    const record = path.join(sandbox.dir, "opened.txt");
    const opener = path.join(dir, "xdg-open");
    await writeFile(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    await chmod(opener, 0o755);
    const result = await runCli(sandbox, ["ui"], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Opening http://127.0.0.1:18123/ui/");
    const opened = await waitFor(
      async () => (await readFile(record, "utf8").catch(() => "")) || undefined,
      "the fake xdg-open to record its argument",
    );
    expect(opened).toBe("http://127.0.0.1:18123/ui/\n");
  });

  it("fails with exit 2 and the fix when there is no config", async () => {
    const result = await runCli(sandbox, ["ui", "--print", "--config", path.join(sandbox.dir, "none.json")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/No config file at .*none\.json/);
    expect(result.stderr).toMatch(/mcpproxy config init/);
  });
});
