// Done-when #1: a client on /mcp finds an upstream tool with retrieve_tools and
// calls it with call_tool; the upstream ran in a container named
// mcpproxy-<name>-… with the configured limits; a non-isolated server works
// side by side; stop() leaves no container.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ensureTestImages, inspectContainer } from "@mcpproxy/test-images";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import { DEFAULT_CALL_TIMEOUT_MS, resolveCallTimeoutMs } from "../src/proxy.ts";
import {
  callTool,
  connectClient,
  containersOfInstance,
  isolatedEverything,
  plainEverything,
  rest,
  startTestProxy,
  tempDir,
  textOf,
  uniqueName,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";
const anyArray: unknown = expect.any(Array);

interface RetrievedTool {
  name: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: { properties?: Record<string, unknown> };
  score: number;
}

describe("proxy end to end: isolated and plain upstreams", () => {
  const iso = uniqueName("iso");
  const plain = uniqueName("plain");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let client: Client;
  let servers: Map<string, ServerJson>;

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, {
      api_key: "test-key-1",
      docker_isolation: { enabled: true, default_images: { npx: images.everything } },
      mcpServers: [
        isolatedEverything(iso, { memory_limit: "96m", cpu_limit: "0.5" }),
        plainEverything(plain),
      ],
    });
    servers = await waitReady(proxy.url, proxy.apiKey, [iso, plain]);
    client = await connectClient(proxy.mcpUrl, proxy.apiKey);
  });

  afterAll(async () => {
    await client?.close();
    await proxy?.stop();
    await tmp?.remove();
  });

  it("reports the real URL of a port-0 listen and the config's key", () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.url).not.toMatch(/:0$/);
    expect(proxy.mcpUrl).toBe(`${proxy.url}/mcp`);
    expect(proxy.apiKey).toBe("test-key-1");
  });

  it("offers retrieve_tools, call_tool and upstream_servers in retrieve mode", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["call_tool", "retrieve_tools", "upstream_servers"]);
  });

  it("finds an upstream tool with retrieve_tools and calls it in its container with call_tool", async () => {
    const found = await callTool(client, "retrieve_tools", { query: "echo back the input", limit: 5 });
    expect(found.isError).toBeFalsy();
    const hits = (found.structuredContent as { tools: RetrievedTool[] }).tools;
    const names = hits.map((h) => h.name);
    expect(names).toContain(`${iso}:echo`);
    expect(names).toContain(`${plain}:echo`);
    expect(names.indexOf(`${iso}:echo`)).toBeLessThan(2);
    const echo = hits.find((h) => h.name === `${iso}:echo`)!;
    expect(echo).toMatchObject({ server: iso, tool: "echo" });
    expect(echo.score).toBeGreaterThan(0);
    expect(Object.keys(echo.inputSchema.properties ?? {})).toContain("message");
    expect(JSON.parse(textOf(found))).toMatchObject({ tools: anyArray });

    const result = await callTool(client, "call_tool", {
      name: `${iso}:echo`,
      args: { message: "from a container" },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("Echo: from a container");
  });

  it("ran the isolated server in mcpproxy-<name>-… with the configured limits", async () => {
    const view = servers.get(iso)!;
    expect(view.isolation).toMatchObject({
      enabled: true,
      memory_limit: "96m",
      cpu_limit: "0.5",
      network_mode: "none",
    });
    expect(view.isolation.container_name).toMatch(new RegExp(`^mcpproxy-${iso}-`));
    const inspected = (await inspectContainer(view.isolation.container_id!)) as {
      Name: string;
      State: { Running: boolean };
      HostConfig: { Memory: number; NanoCpus: number; NetworkMode: string };
      Config: { Labels: Record<string, string> };
    };
    expect(inspected.Name).toBe(`/${view.isolation.container_name}`);
    expect(inspected.State.Running).toBe(true);
    expect(inspected.HostConfig.Memory).toBe(96 * 1024 * 1024);
    expect(inspected.HostConfig.NanoCpus).toBe(500_000_000);
    expect(inspected.HostConfig.NetworkMode).toBe("none");
    expect(inspected.Config.Labels["io.mcpproxy.managed-by"]).toBe("mcpproxy");
    expect(inspected.Config.Labels["io.mcpproxy.instance"]).toBe(proxy.instanceId);
  });

  it("serves the non-isolated server side by side", async () => {
    const view = servers.get(plain)!;
    expect(view.isolation).toMatchObject({ enabled: false, reason: "server-disabled", container_id: null });
    const result = await callTool(client, "call_tool", {
      name: `${plain}:echo`,
      args: { message: "on the host" },
    });
    expect(textOf(result)).toBe("Echo: on the host");
    const sum = await callTool(client, "call_tool", { name: `${plain}:get-sum`, args: { a: 2, b: 3 } });
    expect(textOf(sum)).toContain("5");
  });

  it("relays upstream progress notifications to the calling client", async () => {
    const progress: number[] = [];
    const result = await client.callTool(
      {
        name: "call_tool",
        arguments: { name: `${iso}:trigger-long-running-operation`, args: { duration: 0.6, steps: 3 } },
      },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    // The SDK runs notification handlers a microtask late, so a progress that
    // arrives in the same chunk as the result (the last one) can be dropped by
    // any SDK client on the way; the earlier steps always arrive.
    expect(progress.slice(0, 2)).toEqual([1, 2]);
  });

  it("writes the guide's log lines", async () => {
    const main = await readFile(path.join(tmp.dir, "logs", "main.log"), "utf8");
    expect(main).toContain(`Docker isolation enabled for server: ${iso}`);
    expect(main).toContain(`docker_run_args for server: ${iso}`);
    expect(main).toContain(`Docker isolation setup successful for server: ${iso}`);
    expect(main).toContain(`Docker isolation disabled for server: ${plain}`);
    const logs = await rest<{ lines: string[] }>(proxy.url, `/servers/${iso}/logs?tail=200`, {
      apiKey: proxy.apiKey,
    });
    expect(logs.body.lines.join("\n")).toContain("Docker isolation setup successful");
  });

  it("answers clear errors for bad names and unknown tools", async () => {
    const bad = await callTool(client, "call_tool", { name: "no-colon", args: {} });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/BAD_REQUEST.*<server>:<tool>/);
    const missingServer = await callTool(client, "call_tool", { name: "nope:echo", args: {} });
    expect(textOf(missingServer)).toMatch(/SERVER_NOT_FOUND/);
    const missingTool = await callTool(client, "call_tool", { name: `${iso}:no_such_tool`, args: {} });
    expect(missingTool.isError).toBe(true);
    expect(textOf(missingTool)).toMatch(/UNKNOWN_TOOL.*echo/);
    const badArgs = await callTool(client, "retrieve_tools", { limit: 3 });
    expect(textOf(badArgs)).toMatch(/BAD_REQUEST.*query/);
  });

  it("removes every container of the instance on stop()", async () => {
    expect(await containersOfInstance(proxy.instanceId)).toHaveLength(1);
    await client.close();
    await proxy.stop();
    await proxy.closed;
    expect(await containersOfInstance(proxy.instanceId)).toEqual([]);
    const health = await fetch(`${proxy.url}/api/v1/health`).then(
      () => "answered",
      () => "refused",
    );
    expect(health).toBe("refused");
  });
});

describe("per-call timeout", () => {
  it("takes the option, else MCPPROXY_CALL_TIMEOUT as a duration, else 120 s", () => {
    expect(resolveCallTimeoutMs(5_000, { MCPPROXY_CALL_TIMEOUT: "30s" })).toBe(5_000);
    expect(resolveCallTimeoutMs(undefined, { MCPPROXY_CALL_TIMEOUT: "30s" })).toBe(30_000);
    expect(resolveCallTimeoutMs(undefined, { MCPPROXY_CALL_TIMEOUT: "1m30s" })).toBe(90_000);
    expect(resolveCallTimeoutMs(undefined, {})).toBe(DEFAULT_CALL_TIMEOUT_MS);
    expect(resolveCallTimeoutMs(undefined, { MCPPROXY_CALL_TIMEOUT: "" })).toBe(DEFAULT_CALL_TIMEOUT_MS);
  });

  it("refuses a value that is not a positive duration", () => {
    expect(() => resolveCallTimeoutMs(undefined, { MCPPROXY_CALL_TIMEOUT: "soon" })).toThrow(
      /MCPPROXY_CALL_TIMEOUT="soon" is not a positive duration/,
    );
    expect(() => resolveCallTimeoutMs(undefined, { MCPPROXY_CALL_TIMEOUT: "0s" })).toThrow(
      /not a positive duration/,
    );
  });
});
