// `images prepare|list|prune` and `isolation show` against the real engine and
// the real npm registry (@modelcontextprotocol/server-memory from the node+npm
// test image).
import { randomBytes } from "node:crypto";
import { ensureNpmTestImage } from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, parseJson, runCli, type Sandbox } from "../run-cli.ts";

const PACKAGE = "@modelcontextprotocol/server-memory";
const name = `cli-prep-${randomBytes(3).toString("hex")}`;

interface PrepareJson {
  prepared: {
    server: string;
    image: string | null;
    version: string | null;
    built: boolean;
    error: string | null;
  }[];
  skipped: { server: string; reason: string }[];
}
interface ImageJson {
  id: string;
  tags: string[];
  servers: string[];
  package: { name: string; version: string };
  size: number;
  containers: string[];
}

let sandbox: Sandbox;
let container: string | undefined;

beforeAll(async () => {
  const base = await ensureNpmTestImage();
  sandbox = await createSandbox();
  await sandbox.writeConfig({
    docker_isolation: { enabled: true },
    mcpServers: [
      {
        name,
        command: "npx",
        args: ["-y", PACKAGE],
        isolation: { image: base, network_mode: "none", prepare: true },
      },
      { name: `${name}-plain`, command: "node", args: ["server.js"], isolation: { image: base } },
    ],
  });
}, 120_000);

afterAll(async () => {
  if (container !== undefined) await execa("docker", ["rm", "-f", container], { reject: false });
  const { stdout } = await execa("docker", [
    "image",
    "ls",
    "--format",
    "{{.Repository}}:{{.Tag}}",
    `mcpproxy-prepared/${name}`,
  ]);
  const tags = stdout.split("\n").filter(Boolean);
  if (tags.length > 0) await execa("docker", ["image", "rm", ...tags], { reject: false });
  await sandbox?.cleanup();
});

describe("mcpproxy images prepare / list / prune, isolation show", () => {
  it("prepares the servers with prepare on, pins them, and reuses the image the next time", async () => {
    const first = await runCli(sandbox, ["images", "prepare", "--json"], { timeoutMs: 240_000 });
    expect(first.exitCode, first.stderr).toBe(0);
    const built = parseJson<PrepareJson>(first);
    expect(built.prepared).toHaveLength(1);
    expect(built.prepared[0]).toMatchObject({ server: name, built: true, error: null });
    expect(built.prepared[0]?.image).toMatch(new RegExp(`^mcpproxy-prepared/${name}:[0-9a-f]{16}$`));
    const { stdout } = await execa("npm", ["view", PACKAGE, "version"]);
    expect(built.prepared[0]?.version).toBe(stdout.trim());

    const again = parseJson<PrepareJson>(await runCli(sandbox, ["images", "prepare", "--json"]));
    expect(again.prepared[0]).toMatchObject({ built: false, image: built.prepared[0]?.image });

    // Named servers that cannot be prepared say why.
    const plain = parseJson<PrepareJson>(
      await runCli(sandbox, ["images", "prepare", `${name}-plain`, "--json"]),
    );
    expect(plain.skipped[0]?.reason).toMatch(/not a package runner|runs as configured/);
  }, 300_000);

  it("isolation show runs the prepared image and shows the pin", async () => {
    const shown = await runCli(sandbox, ["isolation", "show", name, "--json"]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    const json = parseJson<{
      prepared: { image: string; package: string; version: string; integrity: string };
      docker: { command: string };
    }>(shown);
    expect(json.prepared).toMatchObject({ package: PACKAGE });
    expect(json.prepared.integrity).toMatch(/^sha512-/);
    expect(json.docker.command).toContain(json.prepared.image);
    expect(json.docker.command).not.toContain("npx");
    const text = await runCli(sandbox, ["isolation", "show", name]);
    expect(text.stdout).toMatch(
      new RegExp(`prepared\\s+mcpproxy-prepared/${name}:[0-9a-f]{16}: ${PACKAGE}@`),
    );
  });

  it("lists the image with its package, size and server; prune keeps it while used or configured", async () => {
    const listed = parseJson<{ images: ImageJson[] }>(await runCli(sandbox, ["images", "list", "--json"]));
    const mine = listed.images.find((image) => image.servers.includes(name));
    expect(mine?.package.name).toBe(PACKAGE);
    expect(mine?.size).toBeGreaterThan(0);

    // Configured: kept without --all.
    const dry = parseJson<{ removed: ImageJson[]; kept: ImageJson[] }>(
      await runCli(sandbox, ["images", "prune", name, "--dry-run", "--json"]),
    );
    expect(dry.kept.map((image) => image.id)).toContain(mine?.id);

    // In use by a container: kept even with --all.
    container = (
      await execa("docker", ["create", "--label", "io.mcpproxy.test=prepare", mine?.tags[0] ?? ""])
    ).stdout.trim();
    const used = parseJson<{ removed: ImageJson[]; kept: ImageJson[] }>(
      await runCli(sandbox, ["images", "prune", name, "--all", "--json"]),
    );
    expect(used.removed).toEqual([]);
    expect(used.kept[0]?.containers).toContain(container);

    await execa("docker", ["rm", "-f", container]);
    container = undefined;
    const pruned = parseJson<{ removed: ImageJson[] }>(
      await runCli(sandbox, ["images", "prune", name, "--all", "--json"]),
    );
    expect(pruned.removed.map((image) => image.id)).toEqual([mine?.id]);
    const gone = await execa("docker", ["image", "inspect", mine?.id ?? ""], { reject: false });
    expect(gone.exitCode).not.toBe(0);
  }, 120_000);
});
