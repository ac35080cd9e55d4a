// The doctor diagnoses failures from what the proxy recorded: OOM kill (the
// container is gone: --rm), a startup timeout with its phase, a missing image,
// an npx install without network, a host path not in the container, a nested
// docker command, a DNS lookup without network — while
// `serve` keeps retrying them, and again after it stopped.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { containersWithLabel, ensureTestImages, removeContainers } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@mcpproxy/test-helpers";
import {
  createSandbox,
  parseJson,
  runCli,
  startServe,
  writeServeConfig,
  type RunningServe,
  type Sandbox,
} from "../run-cli.ts";

interface Finding {
  code: string;
  evidence: string[];
  fix: string;
  configSnippet?: unknown;
}

interface Report {
  servers: {
    name: string;
    recordedFailure?: { phase?: string; state?: string; failures: number };
    findings: Finding[];
  }[];
}

const suffix = Math.random().toString(16).slice(2, 8);
const names = {
  hog: `hog-${suffix}`,
  slow: `slow-${suffix}`,
  missing: `missing-${suffix}`,
  offline: `offline-${suffix}`,
  files: `files-${suffix}`,
  nested: `nested-${suffix}`,
  dns: `dns-${suffix}`,
};
const EXPECTED: Record<string, string> = {
  [names.hog]: "oom-killed",
  [names.slow]: "startup-timeout",
  [names.missing]: "image-not-found",
  [names.offline]: "package-install-needs-network",
  [names.files]: "file-access",
  [names.nested]: "docker-in-docker",
  [names.dns]: "network-blocked",
};

let sandbox: Sandbox;
let logDir: string;
let serve: RunningServe | undefined;

beforeAll(async () => {
  const images = await ensureTestImages();
  sandbox = await createSandbox();
  logDir = path.join(sandbox.dir, "logs");
  await writeServeConfig(sandbox, {
    api_key: "doctor-history-key",
    log_dir: logDir,
    docker_isolation: { enabled: true, timeout: "10s" },
    mcpServers: [
      {
        name: names.hog,
        command: "node",
        args: ["-e", "const a=[];for(;;)a.push(Buffer.alloc(4e6,1))"],
        isolation: { image: images.node, memory_limit: "64m" },
      },
      {
        name: names.slow,
        command: "node",
        args: ["-e", "setInterval(() => {}, 1000)"],
        isolation: { image: images.node },
      },
      { name: names.missing, command: "node", isolation: { image: "localhost:1/mcpproxy-test/missing:1" } },
      {
        name: names.offline,
        command: "npx",
        args: ["-y", "@example/mcp-server-offline"],
        isolation: { image: images.everything, network_mode: "none" },
      },
      {
        name: names.files,
        command: "node",
        args: ["-e", "require('fs').readFileSync('/home/someone/notes/todo.json')"],
        isolation: { image: images.node },
      },
      {
        name: names.nested,
        command: "sh",
        args: ["-c", "exec docker run -i --rm mcp/fetch"],
        isolation: { image: images.node },
      },
      {
        // network_mode none: the lookup fails inside the container, nothing leaves it.
        name: names.dns,
        command: "node",
        args: [
          "-e",
          "require('dns').lookup('registry.npmjs.org', (e) => { console.error(String(e)); process.exit(1); })",
        ],
        isolation: { image: images.node, network_mode: "none" },
      },
    ],
  });
}, 300_000);

afterAll(async () => {
  await serve?.stop();
  for (const name of Object.values(names)) {
    await removeContainers(await containersWithLabel("io.mcpproxy.server", name));
  }
  await sandbox.cleanup();
});

/** Resolves once every server's log holds a logged failure (an error record). */
async function waitForRecordedFailures(): Promise<void> {
  await waitFor(
    async () => {
      const logs = await Promise.all(
        Object.values(names).map((name) =>
          readFile(path.join(logDir, `server-${name}.log`), "utf8").catch(() => ""),
        ),
      );
      return logs.every((text) => text.includes('"level":"error"'));
    },
    "every server to log a failure",
    300_000,
  );
}

function expectDiagnosed(report: Report): void {
  for (const server of report.servers) {
    const codes = server.findings.map((f) => f.code);
    expect({ server: server.name, codes }).toEqual({
      server: server.name,
      codes: expect.arrayContaining([EXPECTED[server.name]]) as unknown,
    });
    expect(server.recordedFailure).toBeDefined();
  }
  const hog = report.servers.find((s) => s.name === names.hog);
  expect(hog?.findings.find((f) => f.code === "oom-killed")?.configSnippet).toEqual({
    mcpServers: [{ name: names.hog, isolation: { memory_limit: "128m" } }],
  });
  const slow = report.servers.find((s) => s.name === names.slow);
  expect(slow?.findings.find((f) => f.code === "startup-timeout")?.evidence).toContain(
    "timed out in the initialize phase",
  );
}

describe("mcpproxy doctor: what happened", () => {
  it(
    "diagnoses every recorded failure while serve retries, and after serve stopped",
    { timeout: 600_000 },
    async () => {
      serve = await startServe(sandbox);
      await waitForRecordedFailures();

      const running = await runCli(sandbox, ["doctor", "--json"]);
      expect(running.exitCode).toBe(1);
      expectDiagnosed(parseJson<Report>(running));

      expect((await serve.stop()).exitCode).toBe(0);

      const stopped = await runCli(sandbox, ["doctor", "--json"]);
      expect(stopped.exitCode).toBe(1);
      expectDiagnosed(parseJson<Report>(stopped));

      const text = await runCli(sandbox, ["doctor", names.hog]);
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toMatch(/problem: Out of memory: the container was OOMKilled at its 64m limit/);
      expect(text.stdout).toMatch(/"memory_limit": "128m"/);
      expect(text.stdout).not.toContain("No problems found");
    },
  );
});
