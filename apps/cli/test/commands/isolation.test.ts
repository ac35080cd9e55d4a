import { randomBytes } from "node:crypto";
import {
  containersWithLabel,
  ensureTestImages,
  inspectContainer,
  removeContainers,
} from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, parseJson, runCli, type Sandbox } from "../run-cli.ts";

interface ShowJson {
  server: string;
  isolation: {
    enabled: boolean;
    reason?: string;
    detail?: string;
    memory_limit?: string;
    network_mode?: string;
  };
  docker: { image: string; command: string; argv: string[]; env: Record<string, string> } | null;
}

const everythingName = `iso-${randomBytes(4).toString("hex")}`;
let sandbox: Sandbox;
beforeAll(async () => {
  const images = await ensureTestImages();
  sandbox = await createSandbox();
  await sandbox.writeConfig({
    docker_isolation: { enabled: true, memory_limit: "256m", cpu_limit: "0.5" },
    mcpServers: [
      {
        name: "github",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-github"],
        env: { GITHUB_TOKEN: "ghp_supersecretvalue" },
        isolation: { network_mode: "none", volumes: ["/srv/data:/data:ro"], read_only: true },
      },
      { name: "trusted", command: "python", args: ["-m", "srv"], isolation: { enabled: false } },
      { name: "dind", command: "docker", args: ["run", "-i", "--rm", "mcp/fetch"] },
      {
        name: everythingName,
        command: "mcp-server-everything",
        args: ["stdio"],
        env: { GREETING: "it's a secret", PATH: "/usr/local/bin:/usr/bin:/bin" },
        // No network: the server needs none, and the test must not depend on the engine's bridge.
        isolation: {
          image: images.everything,
          network_mode: "none",
          volumes: [`${sandbox.dir}:/data:ro`],
          extra_args: ["--cap-drop=NET_RAW"],
        },
      },
    ],
  });
});
afterAll(async () => {
  await sandbox.cleanup();
});

describe("mcpproxy isolation show", () => {
  it("prints the effective settings and a copy-pasteable docker run with secrets masked", async () => {
    const result = await runCli(sandbox, ["isolation", "show", "github"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^github: isolation on$/m);
    expect(result.stdout).toMatch(/^ {2}image\s+node:20 \(runtime: node\)$/m);
    expect(result.stdout).toMatch(/^ {2}memory\s+256m$/m);
    expect(result.stdout).toMatch(/^ {2}cpus\s+0\.5$/m);
    expect(result.stdout).toMatch(/^ {2}network\s+none$/m);
    expect(result.stdout).toMatch(/^ {2}volumes\s+\/srv\/data:\/data:ro$/m);
    expect(result.stdout).toMatch(/^ {2}env\s+GITHUB_TOKEN$/m);
    const command = result.stdout.trim().split("\n").at(-1) ?? "";
    expect(command).toMatch(/^docker run -i --rm --label=io\.mcpproxy\.server=github --memory=256m /);
    expect(command).not.toMatch(/--name|--cidfile|managed-by/);
    expect(command).toContain("--memory=256m --cpus=0.5 --network=none");
    expect(command).toContain("-e 'GITHUB_TOKEN=***'");
    expect(command).toMatch(/ node:20 npx -y @modelcontextprotocol\/server-github$/);
    expect(result.stdout).not.toContain("ghp_supersecretvalue");
  });

  it("--show-secrets puts the real values in the command", async () => {
    const result = await runCli(sandbox, ["isolation", "show", "github", "--show-secrets"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("-e GITHUB_TOKEN=ghp_supersecretvalue");
  });

  it("--json gives the effective settings and the docker argv, masked unless --show-secrets", async () => {
    const masked = parseJson<ShowJson>(await runCli(sandbox, ["isolation", "show", "github", "--json"]));
    expect(masked.isolation).toMatchObject({ enabled: true, memory_limit: "256m", network_mode: "none" });
    expect(masked.docker?.image).toBe("node:20");
    expect(masked.docker?.argv[0]).toBe("run");
    expect(masked.docker?.env).toEqual({ GITHUB_TOKEN: "***" });
    expect(JSON.stringify(masked)).not.toContain("ghp_supersecretvalue");

    const shown = parseJson<ShowJson>(
      await runCli(sandbox, ["isolation", "show", "github", "--json", "--show-secrets"]),
    );
    expect(shown.docker?.env).toEqual({ GITHUB_TOKEN: "ghp_supersecretvalue" });
  });

  it("says why isolation is off: per-server opt-out, and Docker-in-Docker prevention", async () => {
    const trusted = await runCli(sandbox, ["isolation", "show", "trusted"]);
    expect(trusted.exitCode).toBe(0);
    expect(trusted.stdout).toMatch(/^trusted: isolation off \(server-disabled\)$/m);
    expect(trusted.stdout).toContain("runs on the host: python -m srv");

    const dind = parseJson<ShowJson>(await runCli(sandbox, ["isolation", "show", "dind", "--json"]));
    expect(dind.isolation).toMatchObject({ enabled: false, reason: "container-runtime-command" });
    expect(dind.isolation.detail).toMatch(/docker/);
    expect(dind.docker).toBeNull();
  });

  it("the printed command runs the server by hand: paste it into a shell and speak MCP to it", async () => {
    const shown = await runCli(sandbox, ["isolation", "show", everythingName, "--show-secrets"]);
    expect(shown.exitCode).toBe(0);
    const command = shown.stdout.trim().split("\n").at(-1) ?? "";
    expect(command).toContain(`-e 'GREETING=it'\\''s a secret'`);
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "by-hand", version: "1" },
      },
    };
    const result = await execa("sh", ["-c", command], {
      input: `${JSON.stringify(initialize)}\n`,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(0);
    const response = JSON.parse(result.stdout.split("\n")[0] ?? "") as { id: number; result?: unknown };
    expect(response.id).toBe(1);
    expect(response.result).toBeDefined();
  });

  it("the printed command reproduces the container next to a running one: same limits, env, mounts, --rm", async () => {
    // A container as the proxy runs it for this server, with the name the proxy gives it.
    const running = await execa("docker", [
      "create",
      `--name=mcpproxy-${everythingName}-manual`,
      "--label=io.mcpproxy.managed-by=mcpproxy",
      `--label=io.mcpproxy.server=${everythingName}`,
      await ensureTestImages().then((images) => images.everything),
      "sleep",
      "300",
    ]);
    const shown = await runCli(sandbox, ["isolation", "show", everythingName, "--show-secrets"]);
    const command = shown.stdout.trim().split("\n").at(-1) ?? "";
    expect(command).not.toMatch(/--name|--cidfile/);
    // stdin stays open, so the server keeps running until the test ends it.
    const child = execa("sh", ["-c", command], { stdin: "pipe", reject: false });
    let exited = false;
    void child.finally(() => {
      exited = true;
    });
    const runningId = running.stdout.trim();
    let byHand: string | undefined;
    try {
      while (byHand === undefined && !exited) {
        const ids = await containersWithLabel("io.mcpproxy.server", everythingName);
        byHand = ids.find((id) => id !== runningId);
        if (byHand === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(byHand, exited ? (await child).stderr : "").toBeDefined();
      const info = (await inspectContainer(byHand ?? "")) as {
        Name: string;
        Config: { Env: string[]; Labels: Record<string, string>; Image: string; OpenStdin: boolean };
        HostConfig: Record<string, unknown>;
      };
      expect(info.Name).not.toBe(`/mcpproxy-${everythingName}-manual`);
      expect(info.Config.Env).toEqual(
        expect.arrayContaining(["GREETING=it's a secret", "PATH=/usr/local/bin:/usr/bin:/bin"]),
      );
      expect(info.Config.Labels).toMatchObject({ "io.mcpproxy.server": everythingName });
      expect(info.Config.Labels).not.toHaveProperty(["io.mcpproxy.managed-by"]);
      expect(info.Config.OpenStdin).toBe(true);
      expect(info.HostConfig).toMatchObject({
        Memory: 256 * 1024 ** 2,
        NanoCpus: 5e8,
        NetworkMode: "none",
        Binds: [`${sandbox.dir}:/data:ro`],
        CapDrop: ["CAP_NET_RAW"],
        AutoRemove: true,
      });
    } finally {
      child.stdin.end();
      await child;
      await removeContainers([runningId]);
    }
    // --rm: the by-hand container is gone once its stdin closed.
    expect(await containersWithLabel("io.mcpproxy.server", everythingName)).toEqual([]);
  });

  it("an unknown server exits 2 and lists the configured ones", async () => {
    const result = await runCli(sandbox, ["isolation", "show", "gitlab"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: No server named "gitlab" in ${sandbox.configPath}.`);
    expect(result.stderr).toContain(`fix: Use one of: github, trusted, dind, ${everythingName}.`);
  });
});
