// Which path an isolated start takes: the Engine API (no docker process per
// server) by default, the docker CLI when an extra_args option needs it (with
// the reason logged) or when asked for; both run the same server.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { waitFor } from "@mcpproxy/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineSuite } from "./engine-suite.ts";
import { startServer, type LifecycleLogger, type ServerHandle } from "../src/index.ts";
import { instanceId, isolated, serverConfig } from "./helpers.ts";

const suite = engineSuite<ServerHandle>();
const handles = suite.running;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-route-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recordingLogger(): {
  logger: LifecycleLogger;
  warnings: { fields: object; message: string | undefined }[];
} {
  const warnings: { fields: object; message: string | undefined }[] = [];
  const ignore = (): void => undefined;
  return {
    warnings,
    logger: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (fields, message) => warnings.push({ fields, message }),
    },
  };
}

/** docker CLI processes whose argv names this container (the CLI path keeps one per server). */
async function dockerRunProcesses(containerName: string): Promise<number> {
  const { stdout } = await execa("ps", ["-eo", "args="]);
  return stdout.split("\n").filter((line) => line.startsWith("docker run") && line.includes(containerName))
    .length;
}

const script = 'echo "greeting=$GREETING" >&2; exec mcp-server-everything stdio';

describe("launch route", () => {
  it("starts through the Engine API by default: no docker process for the server", async () => {
    const handle = await startServer(
      serverConfig("via-api", "sh", ["-c", script], { GREETING: "hi" }),
      isolated(suite.images.everything),
      {
        instanceId: instanceId("route-api"),
      },
    );
    handles.push(handle);
    expect(handle.launchedVia).toBe("api");
    expect(await dockerRunProcesses(handle.container?.name ?? "?")).toBe(0);
    await waitFor(() => handle.recentStderr().includes("greeting=hi") || undefined, "the env echo");
    const { tools } = (await handle.client?.listTools()) ?? { tools: [] };
    expect(tools.length).toBeGreaterThan(0);
    await handle.stop();
  });

  it("needs no docker binary on PATH: start, MCP calls, stop and removal all go through the API", async () => {
    const path = process.env["PATH"];
    process.env["PATH"] = "/nonexistent-mcpproxy-path";
    let id: string | undefined;
    try {
      const handle = await startServer(
        serverConfig("no-cli", "mcp-server-everything", ["stdio"]),
        isolated(suite.images.everything),
        { instanceId: instanceId("route-no-cli"), containerLaunch: "api" },
      );
      id = handle.container?.id;
      expect(handle.launchedVia).toBe("api");
      const result = await handle.client?.callTool({ name: "echo", arguments: { message: "no cli" } });
      expect(JSON.stringify(result)).toContain("no cli");
      await handle.stop();
    } finally {
      process.env["PATH"] = path;
    }
    const { stdout } = await execa("docker", ["ps", "-aq", "--no-trunc", "--filter", `id=${id ?? "none"}`]);
    expect(stdout.trim()).toBe("");
  });

  it("falls back to the docker CLI for an extra_args option the API cannot carry, and logs why", async () => {
    const envFile = path.join(dir, "server.env");
    await writeFile(envFile, "GREETING=from-env-file\n");
    const { logger, warnings } = recordingLogger();
    const handle = await startServer(
      serverConfig("via-cli", "sh", ["-c", script]),
      isolated(suite.images.everything, { extra_args: [`--env-file=${envFile}`] }),
      { instanceId: instanceId("route-cli"), logger, containerLaunch: "api" },
    );
    handles.push(handle);
    expect(handle.launchedVia).toBe("cli");
    expect(await dockerRunProcesses(handle.container?.name ?? "?")).toBe(1);
    const fallback = warnings.find((warning) => warning.message === "container started with the docker CLI");
    expect(fallback?.fields).toMatchObject({ server: "via-cli" });
    expect((fallback?.fields as { reason?: string } | undefined)?.reason).toContain(`--env-file=${envFile}`);
    await waitFor(
      () => handle.recentStderr().includes("greeting=from-env-file") || undefined,
      "the env-file echo",
    );
    await handle.stop();
  });

  it("uses the CLI when asked (containerLaunch: cli), without a warning", async () => {
    const { logger, warnings } = recordingLogger();
    const handle = await startServer(
      serverConfig("asked-cli", "mcp-server-everything", ["stdio"]),
      isolated(suite.images.everything),
      {
        instanceId: instanceId("route-asked"),
        logger,
        containerLaunch: "cli",
      },
    );
    handles.push(handle);
    expect(handle.launchedVia).toBe("cli");
    expect(warnings).toEqual([]);
    await handle.stop();
  });
});
