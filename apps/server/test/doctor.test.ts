// runDoctor against real servers started (and failing) through
// @mcpproxy/lifecycle, logged the way the server app logs them.
import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveIsolation, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import { buildDockerRunArgs } from "@mcpproxy/docker-args";
import { LifecycleError, startServer, type ServerHandle } from "@mcpproxy/lifecycle";
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLogManager,
  diagnose,
  evidenceFromError,
  logIsolationDecision,
  logIsolationSetupSuccessful,
  logServerError,
  logServerStderr,
  mergeEvidence,
  type LogManager,
} from "@mcpproxy/diagnostics";
import { runDoctor } from "../src/index.ts";
import { configWith, createTempDir, serverOf, testInstanceId, type TempDir } from "@mcpproxy/test-helpers";

let images: TestImages;
let tmp: TempDir;
let dir: string;
let logs: LogManager;
const instanceId = testInstanceId();
const handles: ServerHandle[] = [];

beforeAll(async () => {
  images = await ensureTestImages();
  tmp = await createTempDir("mcpproxy-server-doctor");
  dir = tmp.path;
  logs = createLogManager({ logDir: path.join(dir, "logs"), level: "info" });
});

afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.stop()));
  await logs.close();
  await tmp.cleanup();
});

/** Starts a server the way the server app does: decision, start, stderr, success or error, all logged. */
async function start(
  config: McpProxyConfig,
  name: string,
): Promise<{ handle?: ServerHandle; error?: LifecycleError }> {
  const server: ServerConfig = serverOf(config, name);
  const resolution = resolveIsolation(config, server);
  logIsolationDecision(
    logs,
    server,
    resolution,
    resolution.enabled ? buildDockerRunArgs(server, resolution, { instanceId }) : undefined,
  );
  try {
    const handle = await startServer(server, resolution, {
      instanceId,
      logger: logs.server(name),
      restart: { maxRestarts: 0 },
      pullMissingImage: false,
    });
    handles.push(handle);
    for (const line of handle.recentStderr()) logServerStderr(logs, name, line);
    handle.on("stderr", (line) => logServerStderr(logs, name, line));
    if (handle.container) logIsolationSetupSuccessful(logs, name, handle.container);
    return { handle };
  } catch (error) {
    if (!(error instanceof LifecycleError)) throw error;
    for (const line of error.stderrTail) logServerStderr(logs, name, line);
    logServerError(logs, name, error);
    return { error };
  }
}

describe("runDoctor", () => {
  it("a healthy isolated server: engine, image, docker run line, running container, log lines, no findings", async () => {
    const config = configWith([
      {
        name: "everything",
        command: "mcp-server-everything",
        args: ["stdio"],
        env: { API_TOKEN: "secret-value-123" },
        isolation: { image: images.everything, network_mode: "none" },
      },
    ]);
    const { handle } = await start(config, "everything");
    expect(handle?.state).toBe("ready");

    const report = await runDoctor({ config, logs, server: "everything", tailLines: 10 });
    expect(report.engine.reachable).toBe(true);
    expect(report.engine.endpoint).toMatch(/^unix:\/\//);
    expect(report.dockerCli).toEqual({ available: true });
    expect(report.engineFindings).toEqual([]);
    const [server] = report.servers;
    expect(server).toMatchObject({
      name: "everything",
      enabled: true,
      command: "mcp-server-everything stdio",
      isolation: { enabled: true },
      image: images.everything,
      imageExists: true,
      findings: [],
    });
    expect(server?.dockerCommand).toMatch(/^docker run -i --rm /);
    expect(server?.dockerCommand).toContain("-e 'API_TOKEN=***'");
    expect(server?.dockerCommand).not.toContain("secret-value-123");
    expect(server?.dockerArgv?.[0]).toBe("run");
    // The by-hand line: Docker names it, no cidfile, and without managed-by the orphan sweep leaves it alone.
    expect(server?.dockerCommand).not.toMatch(/--name=|--cidfile=|io\.mcpproxy\.managed-by/);
    expect(server?.dockerCommand).toContain("--label=io.mcpproxy.server=everything");
    expect(server?.container).toMatchObject({ id: handle?.container?.id, state: "running" });
    expect(
      server?.lastLogLines.some((l) => l.includes("Docker isolation enabled for server: everything")),
    ).toBe(true);
    expect(server?.lastLogLines.some((l) => l.includes("Docker isolation setup successful"))).toBe(true);
    expect(server?.logFile).toBe(path.join(dir, "logs", "server-everything.log"));
    expect(report.summary).toMatchObject({ servers: 1, isolated: 1, withFindings: 0, findings: 0 });
  });

  it("startup timeout: a server that never answers initialize", async () => {
    const config = configWith(
      [
        {
          name: "stuck",
          command: "sh",
          args: ["-c", "echo waiting >&2; sleep 60"],
          isolation: { image: images.node },
        },
      ],
      { timeout: "3s" },
    );
    const { error } = await start(config, "stuck");
    expect(error?.code).toBe("STARTUP_TIMEOUT");

    const live = diagnose(
      mergeEvidence(evidenceFromError(error), {
        isolation: resolveIsolation(config, serverOf(config, "stuck")),
      }),
    );
    expect(live.map((f) => f.code)).toEqual(["startup-timeout"]);
    expect(live[0]?.fix).toContain("Raise `docker_isolation.timeout` to 60s");
    expect(live[0]?.configSnippet).toEqual({ docker_isolation: { timeout: "60s" } });

    const report = await runDoctor({ config, logs, server: "stuck" });
    const server = report.servers[0];
    expect(server?.lastError?.code).toBe("STARTUP_TIMEOUT");
    expect(server?.findings.map((f) => f.code)).toEqual(["startup-timeout"]);
    expect(server?.container).toBeUndefined();
  });

  it("OOMKilled through lifecycle: the exit info carries it, the fix doubles memory_limit", async () => {
    const config = configWith([
      {
        name: "hog",
        command: "node",
        args: ["-e", "const a=[];for(;;)a.push(Buffer.alloc(1<<20,1))"],
        isolation: { image: images.node, memory_limit: "32m", network_mode: "none" },
      },
    ]);
    const { error } = await start(config, "hog");
    expect(error?.exit?.oomKilled).toBe(true);
    const findings = diagnose(
      mergeEvidence(evidenceFromError(error), {
        serverName: "hog",
        isolation: resolveIsolation(config, serverOf(config, "hog")),
      }),
    );
    expect(findings.map((f) => f.code)).toEqual(["oom-killed"]);
    expect(findings[0]?.configSnippet).toEqual({
      mcpServers: [{ name: "hog", isolation: { memory_limit: "64m" } }],
    });
  });

  it("Docker-in-Docker: a docker server with -it, isolation skipped, fails for want of a TTY", async () => {
    const config = configWith([
      { name: "dockerized", command: "docker", args: ["run", "-it", "--rm", images.node, "node", "-e", "0"] },
    ]);
    const { error } = await start(config, "dockerized");
    expect(error).toBeDefined();
    const report = await runDoctor({ config, logs, server: "dockerized" });
    const server = report.servers[0];
    expect(server?.isolation).toEqual({
      enabled: false,
      reason: "container-runtime-command",
      detail: expect.stringContaining("Docker-in-Docker") as string,
    });
    expect(server?.dockerCommand).toBeUndefined();
    expect(
      server?.lastLogLines.some((l) =>
        l.includes("Docker isolation disabled for server: dockerized (Docker-in-Docker prevention"),
      ),
    ).toBe(true);
    expect(server?.findings.map((f) => f.code)).toEqual(["docker-in-docker"]);
    expect(server?.findings[0]?.configSnippet).toEqual({
      mcpServers: [
        {
          name: "dockerized",
          args: ["run", "-i", "--rm", images.node, "node", "-e", "0"],
          isolation: { enabled: false },
        },
      ],
    });
  });

  it("npx downloading at start under network_mode none", async () => {
    const config = configWith([
      {
        name: "sqlite",
        command: "npx",
        args: ["-y", "mcp-server-sqlite-npx"],
        isolation: { image: images.everything, network_mode: "none" },
      },
    ]);
    const { error } = await start(config, "sqlite");
    expect(error).toBeDefined();
    const report = await runDoctor({ config, logs, server: "sqlite" });
    const findings = report.servers[0]?.findings ?? [];
    expect(findings.map((f) => f.code)).toEqual(["package-install-needs-network"]);
    expect(findings[0]?.evidence[0]).toContain(
      "npm error 404 Not Found - GET https://registry.npmjs.org/mcp-server-sqlite-npx",
    );
    expect(findings[0]?.configSnippet).toEqual({
      mcpServers: [{ name: "sqlite", isolation: { network_mode: "bridge" } }],
    });
  });

  it("an image that is not local", async () => {
    const config = configWith([
      { name: "ghost", command: "node", isolation: { image: "mcpproxy-test/not-here:0.0.1" } },
    ]);
    const report = await runDoctor({ config, server: "ghost" });
    const server = report.servers[0];
    expect(server?.imageExists).toBe(false);
    expect(server?.findings.map((f) => f.code)).toEqual(["image-not-found"]);
    expect(server?.findings[0]?.fix).toContain("`docker pull mcpproxy-test/not-here:0.0.1`");
    expect(server?.lastLogLines).toEqual([]);
  });

  it("without the docker CLI on PATH: the engine answers over its API; only servers that need the CLI get a finding", async () => {
    const config = configWith([
      { name: "local", command: "node", isolation: { image: images.node } },
      { name: "ghost", command: "node", isolation: { image: "mcpproxy-test/not-here:0.0.1" } },
      { name: "gpu", command: "node", isolation: { image: images.node, extra_args: ["--gpus=all"] } },
    ]);
    const searchPath = process.env["PATH"];
    process.env["PATH"] = "/nonexistent-mcpproxy-path";
    const report = await runDoctor({ config }).finally(() => {
      process.env["PATH"] = searchPath;
    });
    expect(report.engine.reachable).toBe(true);
    expect(report.engineFindings).toEqual([]);
    expect(report.dockerCli?.available).toBe(false);
    expect(report.dockerCli?.error).toMatch(/docker/);
    const [local, ghost, gpu] = report.servers;
    expect(local?.imageExists).toBe(true);
    expect(local?.findings).toEqual([]);
    expect(ghost?.imageExists).toBe(false);
    expect(ghost?.findings.map((f) => f.code)).toEqual(["docker-cli-missing", "image-not-found"]);
    expect(ghost?.findings[0]?.title).toContain("needs it to pull its image mcpproxy-test/not-here:0.0.1");
    expect(gpu?.findings.map((f) => f.code)).toEqual(["docker-cli-missing"]);
    expect(gpu?.findings[0]?.title).toContain("needs it for extra_args --gpus=all");
  });

  it("the engine unreachable (DOCKER_HOST at a dead socket)", async () => {
    const socket = `unix://${path.join(dir, "dead.sock")}`;
    const config = configWith([
      { name: "iso", command: "node", isolation: { image: images.node } },
      { name: "plain", command: "node", isolation: { enabled: false } },
    ]);
    const report = await runDoctor({ config, docker: { env: { DOCKER_HOST: socket } } });
    expect(report.engine).toMatchObject({ reachable: false, endpoint: socket });
    expect(report.engineFindings.map((f) => f.code)).toEqual(["engine-unreachable"]);
    expect(report.engineFindings[0]?.title).toBe(`The Docker engine is not reachable at ${socket}`);
    const [iso, plain] = report.servers;
    expect(iso?.findings.map((f) => f.code)).toEqual(["engine-unreachable"]);
    expect(iso?.imageExists).toBeUndefined();
    expect(iso?.dockerCommand).toMatch(/^docker run /);
    expect(plain?.findings).toEqual([]);
    expect(report.summary.byCode).toEqual({ "engine-unreachable": 1 });
  });

  it("the current docker context points at an engine that is down", async () => {
    const env = { DOCKER_CONFIG: path.join(dir, "docker-config") };
    const socket = `unix://${path.join(dir, "stopped-vm.sock")}`;
    await execa("docker", ["context", "create", "stopped-vm", "--docker", `host=${socket}`], { env });
    await execa("docker", ["context", "use", "stopped-vm"], { env });
    const config = configWith([{ name: "iso", command: "node", isolation: { image: images.node } }]);
    const report = await runDoctor({ config, docker: { env } });
    expect(report.engine).toMatchObject({ reachable: false, context: "stopped-vm", endpoint: socket });
    expect(report.engineFindings.map((f) => f.code)).toEqual(["docker-context"]);
    expect(report.engineFindings[0]?.fix).toContain("`docker context use default`");
  });

  it("warns when the config file can be read by other users", async () => {
    const configPath = path.join(dir, "perm-config.json");
    await writeFile(configPath, "{}");
    await chmod(configPath, 0o644);
    const open = await runDoctor({ config: configWith([]), configPath });
    expect(open.configWarning).toMatchObject({ code: "config-readable-by-others" });
    expect(open.configWarning?.evidence).toEqual([`${configPath}: mode 0644`]);
    await chmod(configPath, 0o600);
    expect((await runDoctor({ config: configWith([]), configPath })).configWarning).toBeUndefined();
  });

  it("rejects a server name that is not in the config", async () => {
    await expect(runDoctor({ config: configWith([]), server: "nope" })).rejects.toMatchObject({
      code: "UNKNOWN_SERVER",
    });
  });
});
