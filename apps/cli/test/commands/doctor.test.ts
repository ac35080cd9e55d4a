import { chmod } from "node:fs/promises";
import { uniqueName, waitFor } from "@mcpproxy/test-helpers";
import { containersWithLabel, removeContainers } from "@mcpproxy/test-images";
import { describe, expect, it } from "vitest";
import { engineSandboxPerTest } from "../engine-sandbox.ts";
import { parseJson, runCli, startServe, writeServeConfig } from "../run-cli.ts";

interface Finding {
  code: string;
  title: string;
  evidence: string[];
  fix: string;
  configSnippet?: { mcpServers?: ({ name: string } & Record<string, unknown>)[] };
}

interface Report {
  configPath: string;
  engine: { reachable: boolean; context?: string; endpoint?: string };
  servers: {
    name: string;
    isolation: { enabled: boolean; reason?: string; detail?: string };
    image?: string;
    imageExists?: boolean;
    dockerCommand?: string;
    lastLogLines: string[];
    findings: Finding[];
  }[];
  summary: { findings: number };
}

const MISSING_IMAGE = "localhost:1/mcpproxy-test/missing:1";

const engine = engineSandboxPerTest();

describe("mcpproxy doctor", () => {
  it("reports a healthy config with exit 0: engine, isolation and why, image present, docker run", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        {
          name: "good",
          command: "mcp-server-everything",
          args: ["stdio"],
          env: { API_TOKEN: "very-secret-token" },
          isolation: { image: engine.images.everything },
        },
        { name: "nested", command: "docker", args: ["run", "-i", "--rm", "mcp/fetch"] },
      ],
    });
    const json = await runCli(engine.sandbox, ["doctor", "--json"]);
    expect(json.exitCode).toBe(0);
    const report = parseJson<Report>(json);
    expect(report.configPath).toBe(engine.sandbox.configPath);
    expect(report.engine.reachable).toBe(true);
    const [good, nested] = report.servers;
    expect(good).toMatchObject({
      name: "good",
      isolation: { enabled: true },
      image: engine.images.everything,
      imageExists: true,
    });
    expect(good?.dockerCommand).toMatch(/^docker run -i --rm /);
    expect(good?.dockerCommand).toContain("API_TOKEN=***");
    expect(JSON.stringify(report)).not.toContain("very-secret-token");
    expect(nested?.isolation).toMatchObject({ enabled: false, reason: "container-runtime-command" });
    expect(report.summary.findings).toBe(0);

    const human = await runCli(engine.sandbox, ["doctor"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^Docker {3}reachable \(context /m);
    expect(human.stdout).toContain(`image      ${engine.images.everything} (present)`);
    expect(human.stdout).toMatch(/docker run docker run -i --rm .*API_TOKEN=\*\*\*/);
    expect(human.stdout).toMatch(/isolation {2}off: .*container runtime/);
    expect(human.stdout).toContain("No problems found in 2 servers.");
  });

  it("finds an image that is not local (exit 1), for one named server", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        { name: "good", command: "node", isolation: { image: engine.images.node } },
        { name: "missing", command: "node", isolation: { image: MISSING_IMAGE } },
      ],
    });
    const json = await runCli(engine.sandbox, ["doctor", "missing", "--json"]);
    expect(json.exitCode).toBe(1);
    const report = parseJson<Report>(json);
    expect(report.servers.map((server) => server.name)).toEqual(["missing"]);
    expect(report.servers[0]?.imageExists).toBe(false);
    expect(report.servers[0]?.findings.map((finding) => finding.code)).toContain("image-not-found");

    const human = await runCli(engine.sandbox, ["doctor", "missing"]);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain("(not pulled: `mcpproxy images pull`)");
    expect(human.stdout).toMatch(/problem: Image .*missing:1 is not available locally \[image-not-found\]/);
    expect(human.stdout).toMatch(/fix: Pull it /);
    expect(human.stdout).toContain("1 problem found in 1 of 1 server.");
  });

  it("diagnoses a server that failed under serve from its log, with the config snippet that fixes it", async () => {
    const name = uniqueName("doc");
    await writeServeConfig(engine.sandbox, {
      docker_isolation: { enabled: true, network_mode: "none" },
      mcpServers: [
        {
          name,
          command: "npx",
          args: ["-y", "some-server-not-installed"],
          isolation: { image: engine.images.everything },
        },
      ],
    });
    const serve = await startServe(engine.sandbox);
    try {
      await waitFor(async () => {
        const logs = await runCli(engine.sandbox, ["servers", "logs", name]);
        return logs.stdout.includes("npm error 404");
      }, "npm's 404 in the server's log");
    } finally {
      await serve.stop();
      await removeContainers(await containersWithLabel("io.mcpproxy.server", name));
    }

    const json = await runCli(engine.sandbox, ["doctor", name, "--json"]);
    expect(json.exitCode).toBe(1);
    const server = parseJson<Report>(json).servers[0];
    expect(server?.lastLogLines.some((line) => line.includes("npm error 404"))).toBe(true);
    const finding = server?.findings.find((candidate) => candidate.code === "package-install-needs-network");
    expect(finding?.evidence).toContain("network_mode: none");
    expect(finding?.configSnippet).toEqual({ mcpServers: [{ name, isolation: { network_mode: "bridge" } }] });

    const human = await runCli(engine.sandbox, ["doctor", name, "--lines", "3"]);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/last log lines \(.*server-doc-[0-9a-f]+\.log\):/);
    expect(human.stdout).toMatch(
      /problem: npx downloads the server at start, but the container has no network/,
    );
    expect(human.stdout).toContain("config to merge into the config file:");
    expect(human.stdout).toContain('"network_mode": "bridge"');
  });

  it("without the docker CLI on PATH: the engine is reachable, the CLI's absence is said, and it is a problem only where it matters", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        { name: "good", command: "mcp-server-everything", isolation: { image: engine.images.everything } },
        { name: "ghost", command: "node", isolation: { image: MISSING_IMAGE } },
      ],
    });
    const noCli = { env: { PATH: "/nonexistent-mcpproxy-path" } };
    const json = await runCli(engine.sandbox, ["doctor", "--json"], noCli);
    expect(json.exitCode).toBe(1);
    const report = parseJson<Report & { dockerCli?: { available: boolean } }>(json);
    expect(report.engine.reachable).toBe(true);
    expect(report.dockerCli?.available).toBe(false);
    const [good, ghost] = report.servers;
    expect(good?.findings).toEqual([]);
    expect(ghost?.findings.map((finding) => finding.code)).toEqual(["docker-cli-missing", "image-not-found"]);

    const human = await runCli(engine.sandbox, ["doctor"], noCli);
    expect(human.stdout).toMatch(/^Docker {3}reachable \(context /m);
    expect(human.stdout).toMatch(/^ {9}docker CLI unavailable: .*docker/m);
    expect(human.stdout).toContain("containers start through the Engine API without it");
  });

  it("names an unreachable engine and its endpoint (exit 1)", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [{ name: "a", command: "node", isolation: { image: engine.images.node } }],
    });
    const env = { DOCKER_HOST: `unix://${engine.sandbox.dir}/no-docker.sock` };
    const result = await runCli(engine.sandbox, ["doctor", "--json"], { env });
    expect(result.exitCode).toBe(1);
    const report = parseJson<Report>(result);
    expect(report.engine.reachable).toBe(false);
    expect(report.servers[0]?.findings.map((finding) => finding.code)).toContain("engine-unreachable");

    const human = await runCli(engine.sandbox, ["doctor"], { env });
    expect(human.stdout).toMatch(/^Docker {3}unreachable/m);
    expect(human.stdout).toContain("no-docker.sock");
  });

  it("warns about a config file other users can read, and says how to fix it", async () => {
    await engine.sandbox.writeConfig({ mcpServers: [{ name: "a", command: "node" }] });
    await chmod(engine.sandbox.configPath, 0o644);
    const open = await runCli(engine.sandbox, ["doctor"]);
    expect(open.stdout).toContain("warning: the config file can be read by other users (mode 0644)");
    expect(open.stdout).toContain(`fix: chmod 600 ${engine.sandbox.configPath}`);
    const json = parseJson<{ configWarning?: { code: string } }>(
      await runCli(engine.sandbox, ["doctor", "--json"]),
    );
    expect(json.configWarning?.code).toBe("config-readable-by-others");

    await chmod(engine.sandbox.configPath, 0o600);
    const closed = await runCli(engine.sandbox, ["doctor"]);
    expect(closed.stdout).not.toContain("warning:");
    expect(
      parseJson<{ configWarning?: unknown }>(await runCli(engine.sandbox, ["doctor", "--json"]))
        .configWarning,
    ).toBe(undefined);
  });

  it("an unknown server or a missing config is a usage error (exit 2)", async () => {
    const missing = await runCli(engine.sandbox, ["doctor"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^error: No config file at /);

    await engine.sandbox.writeConfig({ mcpServers: [{ name: "a", command: "node" }] });
    const unknown = await runCli(engine.sandbox, ["doctor", "b"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('error: No server named "b"');
    expect(unknown.stderr).toContain("fix: Use one of: a.");
  });
});
