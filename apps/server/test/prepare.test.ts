// Prepared images through the whole proxy, against the real engine and the
// real npm registry: an npx-launched server with `prepare: true` and
// `network_mode: "none"` is prepared by serve (state `preparing`, progress in
// REST, SSE and the log), pinned, started offline and called through /mcp; two
// servers with the same package share one build; a package that does not
// exist fails with npm's words and a fix; uvx without prepare runs through the
// launcher wrapper (PyPI is unreachable here, so only the wrapper is checked).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { listPreparedImages } from "@mcpproxy/lifecycle";
import { ensureNpmTestImage, inspectContainer } from "@mcpproxy/test-images";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  connectClient,
  rest,
  startTestProxy,
  tempDir,
  textOf,
  uniqueName,
  waitFor,
  waitReady,
} from "./helpers.ts";
import type { TempDir } from "./helpers.ts";
import { openSse, type SseStream } from "./sse.ts";

const PACKAGE = "@modelcontextprotocol/server-memory";
const run = promisify(execFile);
const KEY = "prepare-test-key-0123456789abcdef";

interface PreparedJson {
  image: string;
  image_id: string;
  package: string;
  version: string;
  integrity: string;
}

interface ServerView {
  name: string;
  state: string;
  state_detail: string;
  isolation: { image: string | null; container_id: string | null; prepared: PreparedJson | null };
  last_error: { code: string; message: string; installer_lines?: string[]; fix?: string } | null;
}

async function serverView(proxy: RunningProxy, name: string): Promise<ServerView> {
  return (await rest<ServerView>(proxy.url, `/servers/${name}`, { apiKey: KEY })).body;
}

describe("prepare through serve (npm, real registry)", () => {
  const memory = uniqueName("prep-memory");
  const twin = uniqueName("prep-twin");
  const missing = uniqueName("prep-missing");
  const uvx = uniqueName("prep-uvx");
  const uvxPrepare = uniqueName("prep-uvx-on");
  const servers = [memory, twin, missing, uvx, uvxPrepare];
  let tmp: TempDir;
  let proxy: RunningProxy;
  let client: Client | undefined;
  let sse: SseStream | undefined;
  const events = (): { type: string; data: Record<string, unknown> }[] =>
    (sse?.received ?? []).map((event) => ({
      type: event.event,
      data: JSON.parse(event.data) as Record<string, unknown>,
    }));

  beforeAll(async () => {
    const base = await ensureNpmTestImage();
    tmp = await tempDir();
    const prepared = { enabled: true, image: base, network_mode: "none", prepare: true };
    const config = {
      api_key: KEY,
      tools_mode: "direct",
      docker_isolation: { enabled: true, timeout: "20s" },
      mcpServers: [
        { name: memory, command: "npx", args: ["-y", PACKAGE], isolation: prepared },
        { name: twin, command: "npx", args: ["-y", PACKAGE], isolation: prepared },
        {
          name: missing,
          command: "npx",
          args: ["-y", "@mcpproxy-test-nonexistent/no-such-server-3f9c"],
          isolation: prepared,
        },
        {
          name: uvx,
          command: "uvx",
          args: ["mcp-server-fetch", "--ignore-robots-txt"],
          isolation: { enabled: true, image: base, network_mode: "none" },
        },
        {
          name: uvxPrepare,
          command: "uvx",
          args: ["mcp-server-time"],
          isolation: { enabled: true, image: base, network_mode: "none", prepare: true },
        },
      ],
    };
    proxy = await startTestProxy(tmp, config, { restart: { maxRestarts: 0 } });
    sse = await openSse(new URL("/api/v1/events", proxy.url), { "x-api-key": KEY });
  }, 120_000);

  afterAll(async () => {
    sse?.close();
    await client?.close().catch(() => undefined);
    await proxy?.stop();
    const mine = await listPreparedImages({ servers });
    const tags = mine.flatMap((image) => image.tags);
    if (tags.length > 0) await run("docker", ["image", "rm", ...tags]).catch(() => undefined);
    await tmp?.remove();
  });

  it("prepares, pins and runs the server offline; its tools are listed and called through /mcp", async () => {
    await waitReady(proxy.url, KEY, [memory, twin], 300_000);
    const view = await serverView(proxy, memory);
    const { stdout } = await run("npm", ["view", PACKAGE, "version", "dist.integrity", "--json"]);
    const registry = JSON.parse(stdout) as { version: string; "dist.integrity": string };
    const pin = view.isolation.prepared;
    expect(pin).toMatchObject({ package: PACKAGE, version: registry.version });
    expect(pin?.integrity).toBe(registry["dist.integrity"]);
    expect(pin?.image).toMatch(new RegExp(`^mcpproxy-prepared/${memory}:[0-9a-f]{16}$`));
    expect(view.isolation.image).toBe(pin?.image);

    // Offline: the container runs the prepared image with no network, no runner in its command.
    const container = await inspectContainer(view.isolation.container_id ?? "");
    const hostConfig = container?.["HostConfig"] as { NetworkMode: string };
    const config = container?.["Config"] as { Image: string; Cmd: string[] | null; Entrypoint: string[] };
    expect(hostConfig.NetworkMode).toBe("none");
    expect(config.Image).toBe(pin?.image);
    expect(config.Cmd ?? []).toEqual([]);
    expect(config.Entrypoint[0]).toBe("node");

    // One build for both servers: the same image under two tags.
    const twinPin = (await serverView(proxy, twin)).isolation.prepared;
    expect(twinPin?.image_id).toBe(pin?.image_id);

    client = await connectClient(proxy.mcpUrl, KEY);
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    const create = tools.find((name) => name.startsWith(memory) && name.endsWith("create_entities"));
    const read = tools.find((name) => name.startsWith(memory) && name.endsWith("read_graph"));
    expect(create).toBeDefined();
    expect(read).toBeDefined();
    await client.callTool({
      name: create ?? "",
      arguments: { entities: [{ name: "mcpproxy", entityType: "project", observations: ["prepared"] }] },
    });
    const graph = textOf(await client.callTool({ name: read ?? "", arguments: {} }));
    expect(graph).toContain("mcpproxy");
  }, 320_000);

  it("showed `preparing` with progress in the SSE stream and the server log", async () => {
    const seen = events();
    const prepareEvents = seen.filter((event) => event.type === "prepare" && event.data["name"] === memory);
    expect(prepareEvents.map((event) => event.data["phase"])).toEqual(
      expect.arrayContaining(["resolve", "build", "done"]),
    );
    const states = seen
      .filter((event) => event.type === "server" && event.data["name"] === memory)
      .map((event) => event.data["state"]);
    expect(states).toContain("preparing");
    const log = await readFile(path.join(tmp.dir, "logs", `server-${memory}.log`), "utf8");
    expect(log).toMatch(/preparing mcpproxy-prepared\/[^ ]+ \(step \d+\/\d+\)/);
  });

  it("fails a package the registry does not know with npm's words and a fix", async () => {
    const view = await waitFor(async () => {
      const found = await serverView(proxy, missing);
      return found.state === "failed" ? found : undefined;
    }, "the missing package to fail");
    expect(view.last_error?.code).toBe("PACKAGE_NOT_FOUND");
    expect(view.last_error?.installer_lines?.join("\n")).toMatch(/404|E404|not found/i);
    expect(view.last_error?.fix).toBeTruthy();
    expect(view.state_detail).toMatch(/Fix: /);
  });

  it("runs uvx without prepare through the launcher wrapper (installs uv at start)", async () => {
    const log = await waitFor(async () => {
      const text = await readFile(path.join(tmp.dir, "logs", `server-${uvx}.log`), "utf8").catch(() => "");
      return /installing uv \(uvx is not in this image\)/.test(text) ? text : undefined;
    }, "the wrapper's stderr line");
    expect(log).toMatch(/runs as: sh -c /);
    const argvLine = log.split("\n").find((line) => line.includes("docker_run_args"));
    const argv = (JSON.parse(argvLine ?? "{}") as { docker_run_args?: string[] }).docker_run_args ?? [];
    const image = argv.indexOf(argv.find((arg) => arg.startsWith("mcpproxy-test")) ?? "");
    expect(argv.slice(image + 1, image + 3)).toEqual(["sh", "-c"]);
    expect(argv.slice(-3)).toEqual(["uvx", "mcp-server-fetch", "--ignore-robots-txt"]);
  });

  it("runs a uvx server with prepare on as configured (no Python resolution here), through the wrapper", async () => {
    const log = await waitFor(async () => {
      const text = await readFile(path.join(tmp.dir, "logs", `server-${uvxPrepare}.log`), "utf8").catch(
        () => "",
      );
      return /installing uv/.test(text) ? text : undefined;
    }, "the wrapper's stderr line");
    expect(log).toMatch(/not prepared: preparing uvx servers needs host-side Python resolution/);
    expect(log).toMatch(/runs as: sh -c /);
  });
});
