import { randomBytes } from "node:crypto";
import os from "node:os";
import {
  containersWithLabel,
  ensureTestImages,
  removeContainers,
  type TestImages,
} from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, parseJson, runCli, type Sandbox } from "../run-cli.ts";

interface ContainerJson {
  id: string;
  name: string;
  server: string | null;
  image: string;
  state: string;
}

const server = `ctr-${randomBytes(4).toString("hex")}`;
let images: TestImages;
let sandbox: Sandbox;

/** A container labelled as MCPProxy's, owned (by its labels) by the process `ownerPid`. */
async function createManagedContainer(suffix: string, ownerPid: number): Promise<string> {
  const name = `mcpproxy-${server}-${suffix}`;
  await execa("docker", [
    "create",
    `--name=${name}`,
    "--label=io.mcpproxy.managed-by=mcpproxy",
    `--label=io.mcpproxy.server=${server}`,
    `--label=io.mcpproxy.instance=test-${suffix}`,
    `--label=io.mcpproxy-lifecycle.owner-pid=${ownerPid}`,
    `--label=io.mcpproxy-lifecycle.owner-host=${os.hostname()}`,
    images.node,
    "node",
    "-e",
    "0",
  ]);
  return name;
}

/**
 * A process that stands for a proxy: alive until `end()`. An orphan is made by
 * ending its owner only just before the cleanup under test, because every proxy
 * that other test files start sweeps the engine's orphans too.
 */
function ownerProcess(): { pid: number; end: () => Promise<void> } {
  const child = execa(process.execPath, ["-e", "setInterval(() => {}, 60_000)"], { reject: false });
  if (child.pid === undefined) throw new Error("no pid");
  return {
    pid: child.pid,
    end: async () => {
      child.kill("SIGKILL");
      await child;
    },
  };
}

beforeAll(async () => {
  images = await ensureTestImages();
  sandbox = await createSandbox();
});
afterAll(async () => {
  await removeContainers(await containersWithLabel("io.mcpproxy.server", server));
  await sandbox.cleanup();
});

describe("mcpproxy containers", () => {
  it("lists ours, removes orphans only, and --all --server removes the rest", async () => {
    const owner = ownerProcess();
    const orphan = await createManagedContainer("orphan", owner.pid);
    const live = await createManagedContainer("live", process.pid);

    const listed = await runCli(sandbox, ["containers", "list", "--server", server, "--json"]);
    expect(listed.exitCode).toBe(0);
    const containers = parseJson<ContainerJson[]>(listed);
    expect(containers.map((container) => container.name).sort()).toEqual([live, orphan].sort());
    for (const container of containers) {
      expect(container).toMatchObject({ server, image: images.node, state: "created" });
    }
    const table = await runCli(sandbox, ["containers", "list"]);
    expect(table.stdout).toMatch(/^NAME\s+SERVER\s+IMAGE\s+STATUS\s+INSTANCE$/m);
    expect(table.stdout).toMatch(new RegExp(`^${orphan}\\s+${server}\\s+`, "m"));

    await owner.end();
    const cleanup = await runCli(sandbox, ["containers", "cleanup", "--json"]);
    expect(cleanup.exitCode).toBe(0);
    const swept = parseJson<{
      removed: ContainerJson[];
      kept: { container: ContainerJson; reason: string }[];
    }>(cleanup);
    const removedNames = swept.removed.map((container) => container.name);
    // Removed by this cleanup, or (rarely) by another test's proxy sweeping in the same second: never kept.
    if (!removedNames.includes(orphan)) {
      expect(swept.kept.map((entry) => entry.container.name)).not.toContain(orphan);
    }
    expect(removedNames).not.toContain(live);
    expect(swept.kept.find((entry) => entry.container.name === live)?.reason).toBe(
      `its owner (pid ${process.pid}) is running`,
    );
    expect(await containersWithLabel("io.mcpproxy.server", server)).toHaveLength(1);

    const all = await runCli(sandbox, ["containers", "cleanup", "--all", "--server", server]);
    expect(all.exitCode).toBe(0);
    expect(all.stdout).toContain(`removed ${live}`);
    expect(all.stdout).toContain("Removed 1 container; kept 0.");
    expect(await containersWithLabel("io.mcpproxy.server", server)).toEqual([]);

    const empty = await runCli(sandbox, ["containers", "list", "--server", server]);
    expect(empty.stdout.trim()).toBe("No MCPProxy containers.");
  });

  it("--server without --all is a usage error", async () => {
    const result = await runCli(sandbox, ["containers", "cleanup", "--server", server]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: --server only applies with --all/);
    expect(result.stderr).toMatch(/^fix: /m);
  });

  it("names the unreachable engine and how to start it (exit 1)", async () => {
    const socket = `unix://${sandbox.dir}/no-docker.sock`;
    const result = await runCli(sandbox, ["containers", "list"], { env: { DOCKER_HOST: socket } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: .*no-docker\.sock/);
    expect(result.stderr).toMatch(/^fix: /m);
  });
});
