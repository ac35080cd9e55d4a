import { uniqueName, waitFor } from "@mcpproxy/test-helpers";
import { containersWithLabel, ensureTestImages, removeContainers } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newLogLines } from "../../src/commands/servers.ts";
import {
  createSandbox,
  freePort,
  parseJson,
  runCli,
  spawnCli,
  startServe,
  watchOutput,
  writeServeConfig,
  type RunningServe,
  type Sandbox,
} from "../run-cli.ts";

interface ServerView {
  name: string;
  state: string;
  tool_count: number;
  isolation: { enabled: boolean; container_name: string | null };
}

const name = uniqueName("srv");
const API_KEY = "servers-test-key";
let sandbox: Sandbox;
let serve: RunningServe | undefined;

/** Waits until the server is ready and its tools are listed (listing follows `ready`). */
function waitUntilReady(): Promise<ServerView> {
  return waitFor(
    async () => {
      const result = await runCli(sandbox, ["servers", "list", "--json"]);
      const server = parseJson<{ servers: ServerView[] }>(result).servers.find((s) => s.name === name);
      return server?.state === "ready" && server.tool_count > 0 ? server : undefined;
    },
    `${name} to be ready`,
    120_000,
  );
}

beforeAll(async () => {
  const images = await ensureTestImages();
  sandbox = await createSandbox();
  await writeServeConfig(sandbox, {
    api_key: API_KEY,
    docker_isolation: { enabled: true },
    mcpServers: [
      {
        name,
        command: "mcp-server-everything",
        args: ["stdio"],
        isolation: { image: images.everything, network_mode: "none", memory_limit: "300m", cpu_limit: "0.5" },
      },
      { name: "off", command: "node", args: ["-e", "setInterval(() => {}, 1000)"], enabled: false },
    ],
  });
  serve = await startServe(sandbox);
});

afterAll(async () => {
  expect((await serve?.stop())?.exitCode).toBe(0);
  await removeContainers(await containersWithLabel("io.mcpproxy.server", name));
  await sandbox.cleanup();
});

describe("mcpproxy servers list", () => {
  it("lists every configured server from the running proxy, as a table and as JSON", async () => {
    const ready = await waitUntilReady();
    expect(ready.isolation.enabled).toBe(true);
    expect(ready.isolation.container_name).toMatch(new RegExp(`^mcpproxy-${name}-`));
    expect(ready.tool_count).toBeGreaterThan(0);

    const table = await runCli(sandbox, ["servers", "list"]);
    expect(table.exitCode).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^NAME\s+STATE\s+ISOLATION\s+CONTAINER\s+MEM\s+CPU\s+TOOLS\s+RESTARTS\s+PROBLEM$/,
    );
    expect(lines.find((line) => line.startsWith(`${name} `))).toMatch(/\sready\s/);
    expect(lines.find((line) => line.startsWith("off "))).toMatch(/\sdisabled\s/);
  });

  it("says clearly when no proxy is running (exit 1), and when the key is wrong", async () => {
    const other = await freePort();
    const none = await runCli(sandbox, ["servers", "list", "--url", `http://127.0.0.1:${other}`]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`error: No MCPProxy is running at http://127.0.0.1:${other}.`);
    expect(none.stderr).toMatch(/^fix: Start it with `mcpproxy serve`/m);

    const wrongKey = await runCli(sandbox, ["servers", "list", "--api-key", "wrong"]);
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.stderr).toMatch(/refused the API key/);
    expect(wrongKey.stderr).toMatch(/^fix: .*api_key/m);
  });
});

describe("mcpproxy servers top and the MEM/CPU columns", () => {
  interface Resources {
    memory: { used_bytes: number; limit_bytes: number; percent: number };
    cpu: { limit_cpus: number | null };
  }

  /** Waits for the proxy's first stats sample of the server (a second after it is ready). */
  function sampled(): Promise<Resources> {
    return waitFor(async () => {
      const result = await runCli(sandbox, ["servers", "top", "--json"]);
      const servers = parseJson<{ servers: { name: string; resources: Resources | null }[] }>(result).servers;
      return servers.find((s) => s.name === name)?.resources ?? undefined;
    }, `the first stats sample of ${name}`);
  }

  it("top --json gives one sample with the container's real limits; list and top show them", async () => {
    await waitUntilReady();
    const resources = await sampled();
    expect(resources.memory.limit_bytes).toBe(300 * 1024 * 1024);
    expect(resources.memory.used_bytes).toBeGreaterThan(0);
    expect(resources.cpu.limit_cpus).toBe(0.5);

    const list = await runCli(sandbox, ["servers", "list"]);
    expect(list.stdout.split("\n").find((line) => line.startsWith(`${name} `))).toMatch(
      /\d+\.\d\/300\.0 MiB \(\d+\.\d%\)\s+\d+\.\d% of 0\.5/,
    );
    const top = await runCli(sandbox, ["servers", "top", "-n", "1", "--interval", "100"]);
    expect(top.exitCode).toBe(0);
    const lines = top.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+MEM\s+CPU\s+PIDS\s+NET RX\/TX\s+BLOCK R\/W\s+OOM$/);
    expect(lines.find((line) => line.startsWith(`${name} `))).toMatch(/\/300\.0 MiB/);
    expect(lines.find((line) => line.startsWith("off "))).toMatch(/\sdisabled\s+-\s+-/);
  });
});

describe("mcpproxy servers logs", () => {
  it("prints the last lines, and --json parses", async () => {
    await waitUntilReady();
    const result = await runCli(sandbox, ["servers", "logs", name, "--tail", "50"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Docker isolation enabled for server: ${name}`);

    const json = await runCli(sandbox, ["servers", "logs", name, "--tail", "3", "--json"]);
    expect(json.exitCode).toBe(0);
    const body = parseJson<{ server: string; lines: string[] }>(json);
    expect(body.server).toBe(name);
    expect(body.lines).toHaveLength(3);
  });

  it("-f keeps printing new lines (a restart's) until interrupted, then exits 0", async () => {
    await waitUntilReady();
    const follow = spawnCli(sandbox, ["servers", "logs", name, "-f", "--tail", "1", "--interval", "200"]);
    const output = watchOutput(follow.stdout);
    await output.waitFor(/\n/);
    expect(output.text).not.toContain("state: starting -> ready");
    const restart = await runCli(sandbox, ["servers", "restart", name]);
    expect(restart.exitCode).toBe(0);
    await output.waitFor(/state: starting -> ready/, 30_000);
    follow.kill("SIGINT");
    const result = await follow;
    expect(result.exitCode).toBe(0);
    const lines = String(result.stdout).trim().split("\n");
    expect(lines.filter((line) => line.includes("state: starting -> ready"))).toHaveLength(1);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it("an unknown server is a usage error (exit 2)", async () => {
    const result = await runCli(sandbox, ["servers", "logs", "nope"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error: No server named "nope" in the config.');
  });
});

describe("mcpproxy servers restart", () => {
  it("restarts in a new container and waits until ready", async () => {
    const before = await waitUntilReady();
    const result = await runCli(sandbox, ["servers", "restart", name, "--json"]);
    expect(result.exitCode).toBe(0);
    const after = parseJson<ServerView>(result);
    expect(after.state).toBe("ready");
    expect(after.isolation.container_name).not.toBe(before.isolation.container_name);
    expect(await containersWithLabel("io.mcpproxy.server", name)).toHaveLength(1);

    const human = await runCli(sandbox, ["servers", "restart", name]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Restarted ${name}: ready\\n {2}container mcpproxy-${name}-`));
  });
});

describe("newLogLines", () => {
  it("returns what follows the previous window, or everything when they do not overlap", () => {
    expect(newLogLines(["a", "b"], ["a", "b", "c", "d"])).toEqual(["c", "d"]);
    expect(newLogLines(["b", "c"], ["a", "b", "c", "d"])).toEqual(["d"]);
    expect(newLogLines(["x", "c"], ["a", "b", "c", "d"])).toEqual(["a", "b", "c", "d"]);
    expect(newLogLines([], ["a"])).toEqual(["a"]);
    expect(newLogLines(["a", "b"], ["a", "b"])).toEqual([]);
    expect(newLogLines(["z"], ["y"])).toEqual(["y"]);
  });
});
