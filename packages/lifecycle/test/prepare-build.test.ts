// End to end against the real engine and the real npm registry (through the
// host's npm and CA settings): prepare @modelcontextprotocol/server-memory from
// the node+npm test image, run it with --network none and talk MCP to it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { parseRunnerCommand, PREPARED_LABELS, PrepareError, type PackageSpec } from "@mcpproxy/prepare";
import { ensureNpmTestImage } from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensurePreparedImage,
  listPreparedImages,
  prunePreparedImages,
  type PrepareProgress,
} from "../src/index.ts";
import { MCPPROXY_LABELS } from "@mcpproxy/docker-args";
import { RUN_PREFIX } from "./helpers.ts";

const PACKAGE = "@modelcontextprotocol/server-memory";

function spec(command: string, args: string[]): PackageSpec {
  const result = parseRunnerCommand(command, args);
  if (!result.ok) throw new Error(result.reason.message);
  return result.spec;
}

const servers = [
  `${RUN_PREFIX}-memory`,
  `${RUN_PREFIX}-shared-a`,
  `${RUN_PREFIX}-shared-b`,
  `${RUN_PREFIX}-cancel`,
  `${RUN_PREFIX}-prune`,
];
let base: string;

beforeAll(async () => {
  base = await ensureNpmTestImage();
});

afterAll(async () => {
  const mine = await listPreparedImages({ servers });
  const tags = mine.flatMap((image) =>
    image.tags.filter((tag) => servers.some((server) => tag.includes(`/${server}:`))),
  );
  if (tags.length > 0) await execa("docker", ["image", "rm", ...tags], { reject: false });
});

async function imageIdOf(ref: string): Promise<string | undefined> {
  const result = await execa("docker", ["image", "inspect", "--format", "{{.Id}}", ref], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

describe("ensurePreparedImage (npm, real registry)", () => {
  it("prepares a real server, pins it, and it runs offline with --network none", async () => {
    const events: PrepareProgress[] = [];
    const server = `${RUN_PREFIX}-memory`;
    const prepared = await ensurePreparedImage({
      server,
      spec: spec("npx", ["-y", PACKAGE]),
      baseImage: base,
      onProgress: (e) => events.push(e),
    });
    expect(prepared.tag).toBe(`mcpproxy-prepared/${server}:${prepared.hash}`);
    expect(prepared.built).toBe(true);
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(["resolve", "build", "tag", "done"]));
    expect(events.some((e) => e.step !== undefined && e.totalSteps !== undefined)).toBe(true);
    expect(prepared.settingsSources.join("\n")).toMatch(/registry https:\/\//);

    // The pin is what the registry says on the host right now.
    const { stdout } = await execa("npm", ["view", PACKAGE, "version", "dist.integrity", "--json"]);
    const view = JSON.parse(stdout) as { version: string; "dist.integrity": string };
    const labels = JSON.parse(
      (await execa("docker", ["image", "inspect", "--format", "{{json .Config.Labels}}", prepared.tag]))
        .stdout,
    ) as Record<string, string>;
    expect(labels[PREPARED_LABELS.package]).toBe(PACKAGE);
    expect(labels[PREPARED_LABELS.version]).toBe(view.version);
    expect(labels[PREPARED_LABELS.integrity]).toBe(view["dist.integrity"]);
    expect(labels[PREPARED_LABELS.recipe]).toBe("npm/1");
    expect(labels[PREPARED_LABELS.baseImage]).toBe(await imageIdOf(base));
    expect(prepared.labels.package).toEqual({
      name: PACKAGE,
      version: view.version,
      integrity: view["dist.integrity"],
    });

    // No build secrets or CA files in the final image.
    const files = await execa("docker", [
      "run",
      "--rm",
      "--network",
      "none",
      "--entrypoint",
      "sh",
      prepared.tag,
      "-c",
      "ls -a / /opt/mcpproxy /opt/mcpproxy/app",
    ]);
    expect(files.stdout).not.toMatch(/mcpproxy-build|npmrc|\.pem/);

    const transport = new StdioClientTransport({
      command: "docker",
      args: [
        "run",
        "-i",
        "--rm",
        "--network",
        "none",
        "--label",
        `${MCPPROXY_LABELS.managedBy}=mcpproxy-test`,
        prepared.tag,
      ],
      stderr: "pipe",
    });
    const client = new Client({ name: "prepare-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(["create_entities", "read_graph"]),
      );
      const created = await client.callTool({
        name: "create_entities",
        arguments: {
          entities: [{ name: "mcpproxy", entityType: "project", observations: ["prepared offline"] }],
        },
      });
      expect(created.isError).not.toBe(true);
      const graph = await client.callTool({ name: "read_graph", arguments: {} });
      expect(JSON.stringify(graph.content)).toContain("prepared offline");
    } finally {
      await client.close();
    }

    // Same inputs: reused as is (same id, no registry traffic, no build).
    const again: PrepareProgress[] = [];
    const reused = await ensurePreparedImage({
      server,
      spec: spec("npx", [PACKAGE, "--other-args"]),
      baseImage: base,
      onProgress: (e) => again.push(e),
    });
    expect(reused).toMatchObject({ tag: prepared.tag, imageId: prepared.imageId, built: false });
    expect(again.map((e) => e.phase)).toEqual(["reused"]);

    const listed = await listPreparedImages({ servers: [server] });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: prepared.imageId, tags: [prepared.tag], servers: [server] });
    expect(listed[0]?.size).toBeGreaterThan(0);
  });

  it("builds once for many servers sharing an image, and update re-resolves", async () => {
    const events: PrepareProgress[] = [];
    const [a, b] = await Promise.all(
      [`${RUN_PREFIX}-shared-a`, `${RUN_PREFIX}-shared-b`].map((server) =>
        ensurePreparedImage({
          server,
          spec: spec("npx", ["-y", PACKAGE]),
          baseImage: base,
          update: true,
          onProgress: (e) => events.push(e),
        }),
      ),
    );
    expect(a?.imageId).toBe(b?.imageId);
    expect(a?.hash).toBe(b?.hash);
    // One build: every waiter sees its start (with the same build id), told as its own server's.
    const starts = events.filter((e) => e.phase === "build" && e.message.startsWith("docker build"));
    expect(new Set(starts.map((e) => /build ([0-9a-f]+)\)$/.exec(e.message)?.[1])).size).toBe(1);
    expect(starts.map((e) => e.server).sort()).toEqual([`${RUN_PREFIX}-shared-a`, `${RUN_PREFIX}-shared-b`]);
    expect(events.filter((e) => e.phase === "tag")).toHaveLength(2);
  });

  it("a package that does not exist fails with npm's own error lines", async () => {
    const missing = "@mcpproxy-test-nonexistent/no-such-server-9f2c";
    const error = await ensurePreparedImage({
      server: `${RUN_PREFIX}-missing`,
      spec: spec("npx", ["-y", missing]),
      baseImage: base,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrepareError);
    expect(error).toMatchObject({ code: "PACKAGE_NOT_FOUND", package: `${missing}@latest` });
    const lines = (error as PrepareError).installerLines;
    expect(lines.some((line) => line.startsWith("npm error") && line.includes("E404"))).toBe(true);
    expect((error as PrepareError).fix).toMatch(/npm view/);
  });

  it("an interrupted build leaves no tagged image", async () => {
    const server = `${RUN_PREFIX}-cancel`;
    const controller = new AbortController();
    let tag = "";
    const error = await ensurePreparedImage({
      server,
      // A range no other test uses, so the build cannot come from the builder cache before the abort.
      spec: spec("npx", ["-y", `${PACKAGE}@2025.9.25`]),
      baseImage: base,
      update: true,
      signal: controller.signal,
      onProgress: (e) => {
        tag = e.tag;
        if (e.phase === "build") controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BUILD_CANCELED" });
    expect(tag).toMatch(/^mcpproxy-prepared\//);
    expect(await imageIdOf(tag)).toBeUndefined();
    expect(await listPreparedImages({ servers: [server] })).toEqual([]);
  });

  it("prune never removes an image a container uses, and removes it once unused", async () => {
    const server = `${RUN_PREFIX}-prune`;
    const prepared = await ensurePreparedImage({
      server,
      spec: spec("npx", ["-y", PACKAGE]),
      baseImage: base,
    });
    const container = (
      await execa("docker", ["create", "--label", `${MCPPROXY_LABELS.managedBy}=mcpproxy-test`, prepared.tag])
    ).stdout.trim();
    try {
      const held = await prunePreparedImages({ servers: [server] });
      expect(held.removed).toEqual([]);
      expect(held.kept.map((image) => image.containers)).toEqual([[container]]);
      expect((await prunePreparedImages({ servers: [server], keep: [prepared.tag] })).removed).toEqual([]);
    } finally {
      await execa("docker", ["rm", "-f", container]);
    }
    expect(
      (await prunePreparedImages({ servers: [server], dryRun: true })).removed.map((i) => i.tags),
    ).toEqual([[prepared.tag]]);
    const pruned = await prunePreparedImages({ servers: [server] });
    expect(pruned.removed.map((image) => image.tags)).toEqual([[prepared.tag]]);
    expect(await imageIdOf(prepared.tag)).toBeUndefined();
  });
});
