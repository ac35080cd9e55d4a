// A real isolated start through @mcpproxy/lifecycle, logged the way the server
// app logs it, then the lines the Docker isolation guide greps for are checked
// in the files: main.log and server-<name>.log.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveIsolation } from "@mcpproxy/config";
import { buildDockerRunArgs } from "@mcpproxy/docker-args";
import { startServer, type ServerHandle } from "@mcpproxy/lifecycle";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLogManager,
  logIsolationDecision,
  logIsolationSetupSuccessful,
  logServerStderr,
  type LogManager,
} from "../src/index.ts";
import { configWith, createTempDir, serverOf, testInstanceId, type TempDir } from "@mcpproxy/test-helpers";

const SECRET = "tok-7f3a9c2e1b";
let tmp: TempDir;
let dir: string;
let logs: LogManager;
let handle: ServerHandle | undefined;

beforeAll(async () => {
  const images = await ensureTestImages();
  tmp = await createTempDir("mcpproxy-diag-start");
  dir = tmp.path;
  logs = createLogManager({ logDir: dir, level: "info" });
  const config = configWith(
    [
      {
        name: "everything",
        command: "mcp-server-everything",
        args: ["stdio"],
        env: { API_TOKEN: SECRET },
        isolation: { image: images.everything, network_mode: "none", memory_limit: "256m" },
      },
    ],
    { timeout: "60s" },
  );
  const server = serverOf(config, "everything");
  const resolution = resolveIsolation(config, server);
  if (!resolution.enabled) throw new Error("expected isolation");
  const instanceId = testInstanceId();
  logIsolationDecision(logs, server, resolution, buildDockerRunArgs(server, resolution, { instanceId }));
  handle = await startServer(server, resolution, { instanceId, logger: logs.server(server.name) });
  for (const line of handle.recentStderr()) logServerStderr(logs, server.name, line);
  handle.on("stderr", (line) => logServerStderr(logs, server.name, line));
  if (handle.container) logIsolationSetupSuccessful(logs, server.name, handle.container);
  await logs.flush();
});

afterAll(async () => {
  await handle?.stop();
  await logs.close();
  await tmp.cleanup();
});

/** `grep -i pattern file` */
async function grep(file: string, pattern: RegExp): Promise<string[]> {
  return (await readFile(file, "utf8")).split("\n").filter((line) => pattern.test(line));
}

describe("a real isolated start", () => {
  it('server-<name>.log answers the guide\'s `grep -i "docker isolation enabled\\|docker isolation setup"`', async () => {
    const lines = await grep(
      path.join(dir, "server-everything.log"),
      /docker isolation enabled|docker isolation setup/i,
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("Docker isolation enabled for server: everything");
    expect(lines[1]).toContain("Docker isolation setup successful");
    const setup = JSON.parse(lines[1] ?? "") as Record<string, unknown>;
    expect(setup["container_id"]).toBe(handle?.container?.id);
    expect(setup["container_name"]).toMatch(/^mcpproxy-everything-/);
  });

  it("main.log answers `grep docker_run_args` with the argv as JSON and no secret value", async () => {
    const lines = await grep(path.join(dir, "main.log"), /docker_run_args/);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? "") as { docker_run_args: string[]; server: string };
    expect(record.server).toBe("everything");
    expect(record.docker_run_args[0]).toBe("run");
    expect(record.docker_run_args).toContain("--memory=256m");
    expect(record.docker_run_args).toContain("--network=none");
    expect(record.docker_run_args.slice(-2)).toEqual(["mcp-server-everything", "stdio"]);
    expect(record.docker_run_args).toContain("API_TOKEN");
    const main = await readFile(path.join(dir, "main.log"), "utf8");
    expect(main).not.toContain(SECRET);
    expect(await grep(path.join(dir, "main.log"), /docker isolation/i)).toHaveLength(2);
  });

  it("the server's stderr is in its own log, timestamped, at info with stream: stderr", async () => {
    const lines = await logs.readServerLog("everything", { tail: 50 });
    const stderr = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record["stream"] === "stderr");
    expect(stderr.length).toBeGreaterThan(0);
    for (const record of stderr) {
      expect(record["level"]).toBe("info");
      expect(Number.isNaN(Date.parse(record["time"] as string))).toBe(false);
    }
    expect(stderr.map((r) => r["msg"])).toEqual(handle?.recentStderr());
    expect(await grep(path.join(dir, "main.log"), /"stream":"stderr"/)).toEqual([]);
  });
});
