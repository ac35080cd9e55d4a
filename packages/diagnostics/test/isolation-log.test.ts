import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EffectiveIsolation } from "@mcpproxy/config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createLogManager,
  formatLogLine,
  logIsolationDecision,
  logIsolationSetupSuccessful,
  logServerStderr,
  maskArgv,
  stderrFromLogLines,
  type LogManager,
} from "../src/index.ts";

const effective: EffectiveIsolation = {
  enabled: true,
  memory_limit: "512m",
  cpu_limit: "1.0",
  network_mode: "bridge",
  timeout_ms: 30_000,
  registry: "docker.io",
  default_images: { uvx: "python:3.11" },
  extra_args: [],
  volumes: [],
};

let dir: string;
let logs: LogManager;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-diag-iso-"));
  logs = createLogManager({ logDir: dir, level: "info" });
});

afterEach(async () => {
  await logs.close();
  await rm(dir, { recursive: true, force: true });
});

/** Lines of a file matching a case-insensitive pattern, like `grep -i`. */
async function grep(file: string, pattern: RegExp): Promise<string[]> {
  await logs.flush();
  return (await readFile(file, "utf8")).split("\n").filter((line) => pattern.test(line));
}

describe("maskArgv", () => {
  it("masks env assignments, secret-looking flags and known secret values", () => {
    const argv = [
      "run",
      "-i",
      "-e",
      "GITHUB_TOKEN",
      "-e",
      "DEBUG=true",
      "--env=API_KEY=abc123",
      "--env",
      "X=y",
      "python:3.11",
      "uvx",
      "srv",
      "--token",
      "tok-999",
      "--api-key=zzz",
      "--db",
      "/data/db",
      "--auth-header",
      "hunter22",
    ];
    expect(maskArgv(argv, ["hunter22"])).toEqual([
      "run",
      "-i",
      "-e",
      "GITHUB_TOKEN",
      "-e",
      "DEBUG=***",
      "--env=API_KEY=***",
      "--env",
      "X=***",
      "python:3.11",
      "uvx",
      "srv",
      "--token",
      "***",
      "--api-key=***",
      "--db",
      "/data/db",
      "--auth-header",
      "***",
    ]);
    expect(maskArgv(["run", "img", "--note", "contains-s3cr3t-value"], ["s3cr3t"])).toEqual([
      "run",
      "img",
      "--note",
      "contains-***-value",
    ]);
  });
});

describe("logIsolationDecision", () => {
  it("writes the enabled line and docker_run_args (masked) to main.log and the server log", async () => {
    logIsolationDecision(logs, { name: "sqlite", command: "uvx" }, effective, {
      argv: [
        "run",
        "-i",
        "--rm",
        "--memory=512m",
        "--cpus=1.0",
        "--network=bridge",
        "-e",
        "DB_PASSWORD",
        "-e",
        "MODE=ro",
        "python:3.11",
        "uvx",
        "mcp-server-sqlite",
      ],
      env: { DB_PASSWORD: "pa55word" },
      image: "python:3.11",
      containerName: "mcpproxy-sqlite-1a2b",
      runtime: "python",
      warnings: [
        "volume /x is not absolute",
        { code: "PRIVILEGED", message: "--privileged gives full host access" },
      ],
    });
    for (const file of [logs.mainLogPath, logs.serverLogPath("sqlite")]) {
      const isolation = await grep(file, /docker isolation enabled|docker isolation setup/i);
      expect(isolation).toHaveLength(1);
      expect(JSON.parse(isolation[0] ?? "")).toMatchObject({
        msg: "Docker isolation enabled for server: sqlite",
        image: "python:3.11",
        memory_limit: "512m",
        cpu_limit: "1.0",
        network_mode: "bridge",
        container_name: "mcpproxy-sqlite-1a2b",
      });
      const args = await grep(file, /docker_run_args/);
      expect(args).toHaveLength(1);
      expect(args[0]).toContain('"docker_run_args":["run","-i","--rm","--memory=512m"');
      expect(args[0]).toContain('"MODE=***"');
      expect(args[0]).not.toContain("pa55word");
      expect(
        await grep(file, /Docker isolation warning for server: sqlite: volume \/x is not absolute/),
      ).toHaveLength(1);
      const [privileged] = await grep(file, /--privileged gives full host access/);
      expect(JSON.parse(privileged ?? "")).toMatchObject({ level: "warn", warning: "PRIVILEGED" });
    }
  });

  it("says why isolation was skipped, in words", async () => {
    logIsolationDecision(
      logs,
      { name: "g" },
      { enabled: false, reason: "global-disabled", detail: "d1", timeout_ms: 1 },
    );
    logIsolationDecision(
      logs,
      { name: "s" },
      { enabled: false, reason: "server-disabled", detail: "d2", timeout_ms: 1 },
    );
    logIsolationDecision(
      logs,
      { name: "d", command: "docker" },
      { enabled: false, reason: "container-runtime-command", detail: "d3", timeout_ms: 1 },
    );
    const main = await grep(logs.mainLogPath, /docker isolation/i);
    expect(main.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "Docker isolation disabled for server: g (global off: docker_isolation.enabled is false)",
      "Docker isolation disabled for server: s (server off: isolation.enabled is false for this server)",
      "Docker isolation disabled for server: d (Docker-in-Docker prevention: the command `docker` is itself a container runtime)",
    ]);
    expect(await grep(logs.serverLogPath("d"), /Docker-in-Docker/)).toHaveLength(1);
    expect(JSON.parse(main[2] ?? "")).toMatchObject({ reason: "container-runtime-command", detail: "d3" });
  });

  it("logs setup success with the container to both logs", async () => {
    logIsolationSetupSuccessful(logs, "sqlite", { id: "abc123", name: "mcpproxy-sqlite-1" });
    for (const file of [logs.mainLogPath, logs.serverLogPath("sqlite")]) {
      const [line] = await grep(file, /docker isolation setup successful/i);
      expect(JSON.parse(line ?? "")).toMatchObject({
        container_id: "abc123",
        container_name: "mcpproxy-sqlite-1",
      });
    }
  });
});

describe("server stderr", () => {
  it("goes to the server's own log at info with stream: stderr, and reads back", async () => {
    logServerStderr(logs, "x", "Traceback (most recent call last):\r");
    logServerStderr(logs, "x", "ValueError: boom");
    const lines = await logs.readServerLog("x", { tail: 10 });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: "info", stream: "stderr", server: "x" });
    expect(stderrFromLogLines(lines)).toEqual(["Traceback (most recent call last):", "ValueError: boom"]);
    expect(formatLogLine(lines[1] ?? "")).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO \[stderr\] ValueError: boom$/,
    );
    expect(formatLogLine("plain text")).toBe("plain text");
    expect(await grep(logs.mainLogPath, /ValueError/)).toEqual([]);
  });
});
