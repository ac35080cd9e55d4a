// The classifier against real outputs captured from real failing containers
// (test/fixtures, see its README). Every spec failure mode has a case here and
// a live reproduction in failures.test.ts.
import { readFileSync } from "node:fs";
import type { DisabledIsolation, EffectiveIsolation } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { diagnose, type DiagnosisEvidence, type Finding } from "../src/index.ts";

function fixture(name: string): string[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
  return text.split("\n").filter((line) => line.trim() !== "");
}

const IMAGE = "mcpproxy-test/node:8c1cd72b8207610c";

function effective(overrides: Partial<EffectiveIsolation> = {}): EffectiveIsolation {
  return {
    enabled: true,
    memory_limit: "512m",
    cpu_limit: "1.0",
    network_mode: "bridge",
    timeout_ms: 30_000,
    registry: "docker.io",
    default_images: { uvx: "python:3.11", npx: "node:20", node: "node:20" },
    extra_args: [],
    volumes: [],
    ...overrides,
  };
}

const dockerCommand: DisabledIsolation = {
  enabled: false,
  reason: "container-runtime-command",
  detail: "the command `docker` is itself a container runtime",
  timeout_ms: 30_000,
};

function only(evidence: DiagnosisEvidence): Finding {
  const findings = diagnose(evidence);
  expect(findings.map((f) => f.code)).toHaveLength(1);
  return findings[0] as Finding;
}

describe("diagnose: Docker-in-Docker", () => {
  it("not a TTY: a docker server's own `docker run -it` loses -t and gets isolation off", () => {
    const finding = only({
      serverName: "github",
      command: "docker",
      args: ["run", "-it", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server", "stdio"],
      stderr: fixture("not-a-tty.txt"),
      exitCode: 1,
      isolation: dockerCommand,
    });
    expect(finding.code).toBe("docker-in-docker");
    expect(finding.title).toContain("the input device is not a TTY");
    expect(finding.evidence).toContain("the input device is not a TTY");
    expect(finding.fix).toContain("keep `-i`, drop `-t`");
    expect(finding.fix).toContain("`isolation.enabled: false`");
    expect(finding.configSnippet).toEqual({
      mcpServers: [
        {
          name: "github",
          args: ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server", "stdio"],
          isolation: { enabled: false },
        },
      ],
    });
  });

  it("a docker command wrapped in an isolation container: disable isolation", () => {
    const finding = only({
      serverName: "nested",
      command: "docker",
      args: ["run", "-i", "--rm", "mcp/some-server"],
      argv: [
        "run",
        "-i",
        "--rm",
        "--network=bridge",
        IMAGE,
        "docker",
        "run",
        "-i",
        "--rm",
        "mcp/some-server",
      ],
      stderr: fixture("docker-in-docker-no-cli.txt"),
      exitCode: 127,
      isolation: effective(),
    });
    expect(finding.code).toBe("docker-in-docker");
    expect(finding.fix).toContain("Docker-in-Docker");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "nested", isolation: { enabled: false } }],
    });
  });
});

describe("diagnose: file access", () => {
  it("a host path that is not mounted: mount its directory", () => {
    const finding = only({
      serverName: "sqlite",
      command: "node",
      argv: ["run", "-i", "--rm", "--network=none", IMAGE, "node", "server.js", "/home/user/project/data.db"],
      stderr: fixture("file-access-enoent.txt"),
      exitCode: 1,
      isolation: effective({ network_mode: "none", volumes: ["/opt/models:/models:ro"] }),
    });
    expect(finding.code).toBe("file-access");
    expect(finding.evidence[0]).toBe(
      "Error: ENOENT: no such file or directory, open '/home/user/project/data.db'",
    );
    expect(finding.fix).toContain(
      'add "/home/user/project:/home/user/project:ro" to this server\'s `isolation.volumes`',
    );
    expect(finding.configSnippet).toEqual({
      mcpServers: [
        {
          name: "sqlite",
          isolation: { volumes: ["/opt/models:/models:ro", "/home/user/project:/home/user/project:ro"] },
        },
      ],
    });
  });

  it("permission denied on a mounted host path names the host path and the user", () => {
    const finding = only({
      serverName: "notes",
      argv: [
        "run",
        "-i",
        "--rm",
        "--network=none",
        "--user",
        "65534",
        "-v",
        "/tmp/x/secret:/srv/notes:ro",
        IMAGE,
        "node",
      ],
      stderr: fixture("file-access-eacces.txt"),
      exitCode: 1,
    });
    expect(finding.code).toBe("file-access");
    expect(finding.title).toBe(
      "Permission denied on /srv/notes/notes.txt (host path /tmp/x/secret/notes.txt)",
    );
    expect(finding.evidence).toContain("container user: 65534");
    expect(finding.fix).toContain("`ls -ln /tmp/x/secret/notes.txt`");
    expect(finding.configSnippet).toBeUndefined();
  });

  it("says nothing about files when the server is not isolated", () => {
    expect(
      diagnose({
        stderr: fixture("file-access-enoent.txt"),
        isolation: { ...dockerCommand, reason: "server-disabled" },
      }),
    ).toEqual([]);
  });
});

describe("diagnose: network blocked", () => {
  for (const name of ["network-blocked-node-dns.txt", "network-blocked-wget.txt"]) {
    it(`${name} under network_mode none: switch to bridge`, () => {
      const finding = only({
        serverName: "fetcher",
        argv: ["run", "-i", "--rm", "--network=none", IMAGE, "node", "fetch.js"],
        stderr: fixture(name),
        exitCode: 1,
      });
      expect(finding.code).toBe("network-blocked");
      expect(finding.evidence).toContain("network_mode: none");
      expect(finding.fix).toContain('set its `isolation.network_mode` to "bridge"');
      expect(finding.configSnippet).toEqual({
        mcpServers: [{ name: "fetcher", isolation: { network_mode: "bridge" } }],
      });
    });
  }

  it("is not blamed on isolation when the container had a network", () => {
    const findings = diagnose({
      argv: ["run", "-i", "--rm", "--network=bridge", IMAGE, "node"],
      stderr: fixture("network-blocked-node-dns.txt"),
    });
    expect(findings).toEqual([]);
  });
});

describe("diagnose: package installs at start", () => {
  const cases = [
    ["npx-install-offline.txt", "npx", ["npx", "-y", "@modelcontextprotocol/server-filesystem", "/data"]],
    ["npx-install-offline-shim.txt", "npx", ["npx", "-y", "mcp-server-sqlite-npx", "/tmp/x.db"]],
    ["pip-install-offline.txt", "uvx", ["uvx", "mcp-server-sqlite"]],
  ] as const;
  for (const [file, installer, command] of cases) {
    it(`${file}: ${installer} under network_mode none`, () => {
      const finding = only({
        serverName: "pkg",
        command: installer,
        argv: ["run", "-i", "--rm", "--network=none", IMAGE, ...command],
        stderr: fixture(file),
        exitCode: 1,
        errorCode: "STARTUP_TIMEOUT",
        isolation: effective({ network_mode: "none" }),
      });
      expect(finding.code).toBe("package-install-needs-network");
      expect(finding.title).toBe(
        `${installer} downloads the server at start, but the container has no network`,
      );
      expect(finding.fix).toContain('set `isolation.network_mode` to "bridge"');
      expect(finding.configSnippet).toEqual({
        mcpServers: [{ name: "pkg", isolation: { network_mode: "bridge" } }],
      });
    });
  }

  it("a registry the container cannot reach with a network is reported without a snippet", () => {
    const finding = only({
      command: "npx",
      argv: ["run", "-i", "--rm", "--network=bridge", IMAGE, "npx", "-y", "x"],
      stderr: fixture("npx-install-offline.txt"),
    });
    expect(finding.code).toBe("package-install-needs-network");
    expect(finding.fix).toContain("HTTPS_PROXY");
    expect(finding.configSnippet).toBeUndefined();
  });

  it("a plain 404 with a working network is not a network problem", () => {
    expect(
      diagnose({
        command: "npx",
        argv: ["run", "--network=bridge", IMAGE, "npx", "x"],
        stderr: fixture("npx-install-offline-shim.txt"),
      }),
    ).toEqual([]);
  });
});

describe("diagnose: images", () => {
  it("a failed pull names the image and the docker pull command; the timeout it caused is dropped", () => {
    const finding = only({
      serverName: "img",
      stderr: fixture("image-not-found.txt"),
      exitCode: 125,
      errorCode: "STARTUP_TIMEOUT",
      errorMessage: "context deadline exceeded",
      isolation: effective(),
    });
    expect(finding.code).toBe("image-not-found");
    expect(finding.title).toBe(
      "Image mcpproxy-test/does-not-exist:1.0 is not available locally and could not be pulled",
    );
    expect(finding.evidence[0]).toBe("Unable to find image 'mcpproxy-test/does-not-exist:1.0' locally");
    expect(finding.fix).toContain("`docker pull mcpproxy-test/does-not-exist:1.0`");
    // Pulls run before the startup timeout starts, under their own limit.
    expect(finding.fix).toContain("`docker_isolation.pull_timeout`");
    expect(finding.fix).not.toMatch(/counts against the startup timeout/);
  });

  it("--pull=never: No such image", () => {
    const finding = only({ stderr: fixture("image-not-found-no-pull.txt"), exitCode: 125 });
    expect(finding.code).toBe("image-not-found");
    expect(finding.fix).toContain("`docker pull mcpproxy-test/does-not-exist:1.0`");
  });

  it("a program the image lacks: suggest the configured default image for it", () => {
    const finding = only({
      serverName: "sqlite",
      command: "uvx",
      argv: ["run", "-i", "--rm", IMAGE, "uvx", "mcp-server-sqlite", "--db-path", "/data/db.sqlite"],
      stderr: fixture("command-not-in-image.txt"),
      exitCode: 127,
      isolation: effective({ image: IMAGE }),
    });
    expect(finding.code).toBe("command-not-in-image");
    expect(finding.title).toBe("The image has no uvx");
    expect(finding.evidence).toContain("exit code 127 (command not found)");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "sqlite", isolation: { image: "python:3.11" } }],
    });
  });
});

describe("diagnose: engine and context", () => {
  const cliGone = { available: false, error: "cannot run the container engine CLI `docker` (ENOENT)" };

  it("the docker CLI missing matters only for a server that needs it: a pull, a prepared image, an extra_args option", () => {
    const engine = { reachable: true, endpoint: "unix:///var/run/docker.sock" };
    const isolation = effective();
    expect(diagnose({ engine, isolation, dockerCli: cliGone, cliNeeds: [] })).toEqual([]);
    const needs = ["to pull its image node:20", "for extra_args --gpus=all"];
    expect(diagnose({ engine, isolation, dockerCli: { available: true }, cliNeeds: needs })).toEqual([]);
    const finding = only({ engine, isolation, dockerCli: cliGone, cliNeeds: needs });
    expect(finding.code).toBe("docker-cli-missing");
    expect(finding.title).toBe(
      "The docker CLI does not run, and this server needs it to pull its image node:20, for extra_args --gpus=all",
    );
    expect(finding.evidence).toEqual([
      "docker CLI check: cannot run the container engine CLI `docker` (ENOENT)",
      "needed to pull its image node:20",
      "needed for extra_args --gpus=all",
    ]);
    expect(finding.fix).toContain("`docker version` must work");
  });

  it("an engine that does not answer at all is the finding, not the CLI", () => {
    const findings = diagnose({
      engine: { reachable: false, endpoint: "unix:///tmp/gone.sock" },
      dockerCli: cliGone,
      cliNeeds: ["to pull its image node:20"],
    });
    expect(findings.map((f) => f.code)).toEqual(["engine-unreachable"]);
  });

  it("engine unreachable names the endpoint", () => {
    const finding = only({ stderr: fixture("engine-unreachable.txt"), exitCode: 1 });
    expect(finding.code).toBe("engine-unreachable");
    expect(finding.title).toBe("The Docker engine is not reachable at unix:///tmp/nonexistent.sock");
    expect(finding.fix).toContain("`docker info` succeeds");
    expect(finding.fix).toContain("DOCKER_HOST");
  });

  it("a context that does not exist", () => {
    const finding = only({ stderr: fixture("docker-context-not-found.txt"), engine: { reachable: false } });
    expect(finding.code).toBe("docker-context");
    expect(finding.title).toBe('Docker context "nonexistent" does not exist');
    expect(finding.fix).toContain("`docker context use default`");
  });

  it("a context whose engine is down (the Colima case)", () => {
    const finding = only({
      stderr: fixture("docker-context-endpoint-down.txt"),
      errorCode: "STARTUP_TIMEOUT",
      engine: { reachable: false, context: "stopped-vm", endpoint: "unix:///tmp/mcpproxy-stopped-vm.sock" },
    });
    expect(finding.code).toBe("docker-context");
    expect(finding.title).toBe(
      'Docker context "stopped-vm" points at an engine that is not running (unix:///tmp/mcpproxy-stopped-vm.sock)',
    );
    expect(finding.fix).toContain("`docker context use default`");
  });

  it("socket permission problems get the docker group fix", () => {
    const finding = only({
      stderr: [
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied',
      ],
    });
    expect(finding.title).toBe("No permission to use the Docker engine at unix:///var/run/docker.sock");
    expect(finding.fix).toContain("sudo usermod -aG docker $USER");
  });
});

describe("diagnose: memory and time", () => {
  it("OOMKilled (real docker inspect State): double the memory limit", () => {
    const state = JSON.parse(
      readFileSync(new URL("./fixtures/oom-killed.state.json", import.meta.url), "utf8"),
    ) as {
      OOMKilled: boolean;
      ExitCode: number;
      Status: string;
    };
    const finding = only({
      serverName: "hungry",
      argv: ["run", "-i", "--rm", "--memory=32m", "--memory-swap=32m", IMAGE, "node", "hog.js"],
      stderr: fixture("oom-killed.txt"),
      exitCode: 137,
      inspect: { oomKilled: state.OOMKilled, exitCode: state.ExitCode, status: state.Status },
    });
    expect(finding.code).toBe("oom-killed");
    expect(finding.evidence).toEqual([
      "docker inspect: State.OOMKilled = true",
      "exit code 137 (SIGKILL)",
      "memory limit: 32m",
    ]);
    expect(finding.fix).toContain("`isolation.memory_limit` (now 32m) to 64m");
    expect(finding.configSnippet).toEqual({
      mcpServers: [{ name: "hungry", isolation: { memory_limit: "64m" } }],
    });
  });

  it("exit 137 without inspect data is a likely OOM; with OOMKilled=false it is not", () => {
    const likely = only({ exitCode: 137, isolation: effective({ memory_limit: "768m" }) });
    expect(likely.title).toBe("Killed with exit code 137, most likely out of memory");
    expect(likely.configSnippet).toEqual({
      mcpServers: [{ name: "SERVER_NAME", isolation: { memory_limit: "1536m" } }],
    });
    expect(diagnose({ exitCode: 137, inspect: { oomKilled: false, exitCode: 137 } })).toEqual([]);
  });

  it("startup timeout: raise docker_isolation.timeout", () => {
    const finding = only({
      serverName: "slow",
      command: "npx",
      argv: ["run", "-i", "--rm", IMAGE, "npx", "-y", "big-server"],
      errorCode: "STARTUP_TIMEOUT",
      errorMessage: "server slow did not initialize within 30s (phase: initialize)",
      stderr: ["downloading..."],
      isolation: effective(),
    });
    expect(finding.code).toBe("startup-timeout");
    expect(finding.title).toBe("The server did not finish starting within 30s");
    expect(finding.fix).toContain("Raise `docker_isolation.timeout` to 60s");
    expect(finding.fix).toContain(`docker pull ${IMAGE}`);
    expect(finding.configSnippet).toEqual({ docker_isolation: { timeout: "60s" } });
    expect(finding.evidence).toContain("last stderr line: downloading...");
  });
});

describe("diagnose: nothing to say", () => {
  it("returns no findings without evidence or for a clean exit", () => {
    expect(diagnose({})).toEqual([]);
    expect(
      diagnose({ exitCode: 0, stderr: ["Starting default (STDIO) server..."], isolation: effective() }),
    ).toEqual([]);
  });
});
