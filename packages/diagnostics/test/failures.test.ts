// Each failure of the spec's catalogue, reproduced live: a real container (or
// docker CLI run) made to fail that way, its real stderr / exit code / inspect
// state handed to diagnose(), and the finding and its fix asserted.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EffectiveIsolation } from "@mcpproxy/config";
import { getEngineInfo } from "@mcpproxy/lifecycle";
import { ensureTestImages, inspectContainer, removeContainers, type TestImages } from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnose, type DiagnosisEvidence, type Finding } from "../src/index.ts";

let images: TestImages;
let scratch: string;
const containers: string[] = [];

beforeAll(async () => {
  images = await ensureTestImages();
  scratch = await mkdtemp(path.join(tmpdir(), "mcpproxy-diag-fail-"));
});

afterAll(async () => {
  await removeContainers(containers);
  await rm(scratch, { recursive: true, force: true });
});

interface Run {
  stderr: string[];
  exitCode: number | undefined;
}

/** Runs the docker CLI with stdin not a TTY (a pipe), like mcpproxy does. */
async function docker(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const result = await execa("docker", args, { reject: false, env, stdin: "pipe", timeout: 90_000 });
  return {
    stderr: result.stderr.split("\n").filter((line) => line.trim() !== ""),
    exitCode: result.exitCode,
  };
}

function effective(overrides: Partial<EffectiveIsolation> = {}): EffectiveIsolation {
  return {
    enabled: true,
    memory_limit: "512m",
    cpu_limit: "1.0",
    network_mode: "bridge",
    timeout_ms: 30_000,
    registry: "docker.io",
    default_images: { uvx: "python:3.11", npx: "node:20" },
    extra_args: [],
    volumes: [],
    ...overrides,
  };
}

function single(evidence: DiagnosisEvidence): Finding {
  const findings = diagnose(evidence);
  expect(
    findings.map((f) => f.code),
    JSON.stringify(evidence.stderr),
  ).toHaveLength(1);
  return findings[0] as Finding;
}

describe("live failures", () => {
  it("docker-in-docker: `docker run -it` without a terminal", async () => {
    const args = ["run", "-it", "--rm", images.node, "node", "-e", "0"];
    const run = await docker(args);
    expect(run.exitCode).toBe(1);
    const finding = single({
      serverName: "dockerized",
      command: "docker",
      args,
      stderr: run.stderr,
      exitCode: run.exitCode,
      isolation: {
        enabled: false,
        reason: "container-runtime-command",
        detail: "docker",
        timeout_ms: 30_000,
      },
    });
    expect(finding.code).toBe("docker-in-docker");
    expect(finding.evidence).toContain("the input device is not a TTY");
    expect(finding.fix).toContain("keep `-i`, drop `-t`");
    expect(finding.configSnippet).toEqual({
      mcpServers: [
        {
          name: "dockerized",
          args: ["run", "-i", "--rm", images.node, "node", "-e", "0"],
          isolation: { enabled: false },
        },
      ],
    });
  });

  it("docker-in-docker: a docker command wrapped in an isolation container", async () => {
    const argv = ["run", "-i", "--rm", "--network=none", images.node, "docker", "run", "-i", "--rm", "mcp/x"];
    const run = await docker(argv);
    expect(run.exitCode).toBe(127);
    const finding = single({
      serverName: "wrapped",
      command: "docker",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
    });
    expect(finding.code).toBe("docker-in-docker");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "wrapped", isolation: { enabled: false } }],
    });
  });

  it("file-access: a host path that is not in the container", async () => {
    const hostDir = await realpath(scratch);
    await writeFile(path.join(hostDir, "data.db"), "sqlite");
    const file = path.join(hostDir, "data.db");
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      images.node,
      "node",
      "-e",
      `require('fs').readFileSync(${JSON.stringify(file)})`,
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({
      serverName: "files",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
      isolation: effective({ network_mode: "none" }),
    });
    expect(finding.code).toBe("file-access");
    expect(finding.fix).toContain(`add "${hostDir}:${hostDir}:ro" to this server's \`isolation.volumes\``);
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "files", isolation: { volumes: [`${hostDir}:${hostDir}:ro`] } }],
    });

    // The fix works: with that volume the same read succeeds.
    const fixed = await docker([
      "run",
      "-i",
      "--rm",
      "--network=none",
      "-v",
      `${hostDir}:${hostDir}:ro`,
      ...argv.slice(4),
    ]);
    expect(fixed.exitCode).toBe(0);
  });

  it("file-access: permission denied on a mounted host path", async () => {
    const dir = path.join(scratch, "private");
    await mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "secret");
    await chmod(path.join(dir, "notes.txt"), 0o600);
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      "--user",
      "65534",
      "-v",
      `${dir}:/srv/notes:ro`,
      images.node,
      "cat",
      "/srv/notes/notes.txt",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({ serverName: "notes", argv, stderr: run.stderr, exitCode: run.exitCode });
    expect(finding.code).toBe("file-access");
    expect(finding.title).toBe(`Permission denied on /srv/notes/notes.txt (host path ${dir}/notes.txt)`);
    expect(finding.fix).toContain(`\`ls -ln ${dir}/notes.txt\``);
  });

  it("network-blocked: DNS under network_mode none", async () => {
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      images.node,
      "node",
      "-e",
      "require('dns').lookup('registry.npmjs.org', e => { console.error(e); process.exit(1) })",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({
      serverName: "api",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
      isolation: effective({ network_mode: "none" }),
    });
    expect(finding.code).toBe("network-blocked");
    expect(finding.evidence[0]).toMatch(/getaddrinfo (EAI_AGAIN|ENOTFOUND) registry\.npmjs\.org/);
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "api", isolation: { network_mode: "bridge" } }],
    });
  });

  it("network-blocked: wget under network_mode none", async () => {
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      images.node,
      "wget",
      "-q",
      "-O-",
      "http://example.invalid/",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({ serverName: "w", argv, stderr: run.stderr, exitCode: run.exitCode });
    expect(finding.code).toBe("network-blocked");
    expect(finding.fix).toContain('set its `isolation.network_mode` to "bridge"');
  });

  it("image-not-found: an image that is not local (no pull attempted)", async () => {
    const image = `mcpproxy-test/missing-${randomBytes(4).toString("hex")}:1.0`;
    const run = await docker(["run", "-i", "--rm", "--pull=never", image]);
    expect(run.exitCode).toBe(125);
    const finding = single({
      serverName: "img",
      stderr: run.stderr,
      exitCode: run.exitCode,
      errorCode: "STARTUP_TIMEOUT",
    });
    expect(finding.code).toBe("image-not-found");
    expect(finding.title).toBe(`Image ${image} is not available locally and could not be pulled`);
    expect(finding.fix).toContain(`\`docker pull ${image}\``);
  });

  it("oom-killed: allocating past --memory=32m", async () => {
    const name = `mcpproxy-diag-oom-${randomBytes(4).toString("hex")}`;
    containers.push(name);
    const argv = [
      "run",
      "-i",
      "--name",
      name,
      "--label",
      "io.mcpproxy.test=diagnostics",
      "--memory=32m",
      "--memory-swap=32m",
      "--network=none",
      images.node,
      "node",
      "-e",
      "const a=[];for(;;)a.push(Buffer.alloc(1<<20,1))",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(137);
    const state = (await inspectContainer(name))?.["State"] as {
      OOMKilled: boolean;
      ExitCode: number;
      Status: string;
    };
    expect(state.OOMKilled).toBe(true);
    const finding = single({
      serverName: "hog",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
      inspect: { oomKilled: state.OOMKilled, exitCode: state.ExitCode, status: state.Status },
    });
    expect(finding.code).toBe("oom-killed");
    expect(finding.evidence[0]).toBe("docker inspect: State.OOMKilled = true");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "hog", isolation: { memory_limit: "64m" } }],
    });
  });

  it("engine-unreachable: DOCKER_HOST at a socket nobody listens on", async () => {
    const socket = `unix://${path.join(scratch, "nonexistent.sock")}`;
    const run = await docker(["ps"], { DOCKER_HOST: socket });
    expect(run.exitCode).toBe(1);
    const finding = single({ stderr: run.stderr, exitCode: run.exitCode });
    expect(finding.code).toBe("engine-unreachable");
    expect(finding.title).toBe(`The Docker engine is not reachable at ${socket}`);
    expect(finding.fix).toContain("`docker info` succeeds");
  });

  it("docker-context: a context that does not exist", async () => {
    const run = await docker(["--context", "nonexistent-ctx", "ps"]);
    expect(run.exitCode).toBe(1);
    const finding = single({ stderr: run.stderr, exitCode: run.exitCode });
    expect(finding.code).toBe("docker-context");
    expect(finding.title).toBe('Docker context "nonexistent-ctx" does not exist');
    expect(finding.fix).toContain("`docker context use default`");
  });

  it("docker-context: the current context's engine is down", async () => {
    const config = path.join(scratch, "docker-config");
    const socket = `unix://${path.join(scratch, "stopped-vm.sock")}`;
    const env = { DOCKER_CONFIG: config };
    expect(
      (await docker(["context", "create", "stopped-vm", "--docker", `host=${socket}`], env)).exitCode,
    ).toBe(0);
    expect((await docker(["context", "use", "stopped-vm"], env)).exitCode).toBe(0);
    const run = await docker(["ps"], env);
    expect(run.exitCode).toBe(1);
    // The engine facts come from lifecycle's probe, as the doctor gets them.
    const engine = await getEngineInfo({ env });
    expect(engine).toMatchObject({ reachable: false, context: "stopped-vm", endpoint: socket });
    const finding = single({ stderr: run.stderr, exitCode: run.exitCode, engine });
    expect(finding.code).toBe("docker-context");
    expect(finding.title).toBe(
      `Docker context "stopped-vm" points at an engine that is not running (${socket})`,
    );
  });

  it("package-install-needs-network: real npm (npx) under network_mode none", async () => {
    const npmCli = await realpath((await execa("sh", ["-c", "command -v npm"])).stdout.trim());
    const npmDir = path.dirname(path.dirname(npmCli));
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      "-e",
      "npm_config_fetch_retries=0",
      "-e",
      "npm_config_update_notifier=false",
      "-v",
      `${npmDir}:/opt/npm:ro`,
      images.node,
      "node",
      "/opt/npm/bin/npx-cli.js",
      "-y",
      "@modelcontextprotocol/server-filesystem",
      "/data",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({
      serverName: "fs",
      command: "npx",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
      isolation: effective({ network_mode: "none" }),
    });
    expect(finding.code).toBe("package-install-needs-network");
    expect(finding.evidence).toContain("npm error code EAI_AGAIN");
    expect(finding.fix).toContain('set `isolation.network_mode` to "bridge"');
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "fs", isolation: { network_mode: "bridge" } }],
    });
  });

  it("package-install-needs-network: the image's npx under network_mode none", async () => {
    const argv = [
      "run",
      "-i",
      "--rm",
      "--network=none",
      images.everything,
      "npx",
      "-y",
      "mcp-server-sqlite-npx",
    ];
    const run = await docker(argv);
    expect(run.exitCode).toBe(1);
    const finding = single({
      serverName: "sq",
      command: "npx",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
    });
    expect(finding.code).toBe("package-install-needs-network");
    expect(finding.title).toBe("npx downloads the server at start, but the container has no network");
  });

  it("command-not-in-image: uvx in an image without it", async () => {
    const argv = ["run", "-i", "--rm", "--network=none", images.node, "uvx", "mcp-server-sqlite"];
    const run = await docker(argv);
    expect(run.exitCode).toBe(127);
    const finding = single({
      serverName: "py",
      command: "uvx",
      argv,
      stderr: run.stderr,
      exitCode: run.exitCode,
      isolation: effective({ image: images.node }),
    });
    expect(finding.code).toBe("command-not-in-image");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "py", isolation: { image: "python:3.11" } }],
    });
  });
});
