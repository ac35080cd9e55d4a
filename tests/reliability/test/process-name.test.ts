// Issue 14 #7: the running proxy is named `mcpproxy`, so `pgrep -x mcpproxy`
// and `pkill mcpproxy` find it (not a generic `node`). Runs the real CLI
// binary's `serve`, as a user does.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../src/mcp.ts";
import { tempDir, type TempDir } from "../src/servers.ts";

const bin = fileURLToPath(new URL("../../../apps/cli/src/bin.ts", import.meta.url));

async function pgrepExact(name: string): Promise<number[]> {
  try {
    const { stdout } = await promisify(execFile)("pgrep", ["-x", name]);
    return stdout.split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe("the process name", () => {
  let temp: TempDir | undefined;
  afterEach(async () => {
    await temp?.remove();
  });

  it("`mcpproxy serve` is found by `pgrep -x mcpproxy` and stops on `kill` of that pid", async () => {
    temp = await tempDir();
    const configPath = path.join(temp.dir, "config", "mcp_config.json");
    await mkdir(path.dirname(configPath), { recursive: true });
    await writeFile(configPath, JSON.stringify({ listen: "127.0.0.1:0", mcpServers: [] }));
    const child = spawn(
      process.execPath,
      ["--conditions=@mcpproxy/source", bin, "serve", "--listen", "127.0.0.1:0"],
      {
        env: {
          ...process.env,
          HOME: temp.dir,
          MCPPROXY_CONFIG: configPath,
          XDG_STATE_HOME: path.join(temp.dir, "state"),
          NO_COLOR: "1",
        },
        stdio: "ignore",
      },
    );
    const exited = once(child, "exit");
    try {
      const pids = await waitFor(
        async () => {
          const found = await pgrepExact("mcpproxy");
          return found.includes(child.pid ?? -1) ? found : undefined;
        },
        "pgrep -x mcpproxy to list the serve process",
        60_000,
      );
      expect(pids).toContain(child.pid);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    expect(await pgrepExact("mcpproxy")).not.toContain(child.pid);
  }, 90_000);
});
