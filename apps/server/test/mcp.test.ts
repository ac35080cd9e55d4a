// The MCP side with real upstreams on the host: direct mode names, tools
// refreshed on list_changed and pushed to every client, per-call timeouts
// that block nobody else, errors naming a failed server's state.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECT_NAME_PATTERN, type RunningProxy } from "../src/index.ts";
import { post } from "./security-helpers.ts";
import {
  callTool,
  connectClient,
  dynamicServer,
  rest,
  startTestProxy,
  tempDir,
  textOf,
  uniqueName,
  waitFor,
  waitReady,
  writeConfig,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

function listChangedCounter(client: Client): { count: () => number } {
  let count = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    count++;
  });
  return { count: () => count };
}

describe("MCP endpoint, retrieve mode", () => {
  const fast = uniqueName("fast");
  const slow = uniqueName("slow");
  const broken = uniqueName("broken");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let clients: Client[] = [];

  beforeAll(async () => {
    tmp = await tempDir();
    proxy = await startTestProxy(
      tmp,
      {
        api_key: "k",
        mcpServers: [
          dynamicServer(fast),
          dynamicServer(slow),
          {
            name: broken,
            command: process.execPath,
            args: ["-e", "process.stderr.write('cannot start: missing TOKEN\\n'); process.exit(3)"],
            isolation: { enabled: false },
          },
        ],
      },
      { callTimeoutMs: 1500, restart: { maxRestarts: 0 } },
    );
    await waitReady(proxy.url, "k", [fast, slow]);
    clients = await Promise.all([
      connectClient(proxy.mcpUrl, proxy.apiKey),
      connectClient(proxy.mcpUrl, proxy.apiKey),
    ]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.stop();
    await tmp?.remove();
  });

  it("times out a slow call without blocking calls to other servers", async () => {
    const [a, b] = clients as [Client, Client];
    const started = Date.now();
    const slowCall = callTool(a, "call_tool", { name: `${slow}:sleep`, args: { ms: 10_000 } });
    const fastAnswer = await callTool(b, "call_tool", {
      name: `${fast}:weather_forecast`,
      args: { city: "Oslo" },
    });
    expect(textOf(fastAnswer)).toBe("Forecast for Oslo: sunny");
    expect(Date.now() - started).toBeLessThan(1000);
    const timedOut = await slowCall;
    const elapsed = Date.now() - started;
    expect(timedOut.isError).toBe(true);
    expect(textOf(timedOut)).toMatch(new RegExp(`UPSTREAM_TIMEOUT.*"${slow}".*sleep.*1\\.5s`));
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000);
    // the slow server itself still answers afterwards
    expect(textOf(await callTool(a, "call_tool", { name: `${slow}:sleep`, args: { ms: 1 } }))).toBe(
      "slept 1",
    );
  });

  it("names a failed server, its state and the reason", async () => {
    const view = await waitFor(async () => {
      const { body } = await rest<ServerJson>(proxy.url, `/servers/${broken}`, { apiKey: "k" });
      return body.state === "failed" ? body : undefined;
    }, "the broken server to fail");
    expect(view.last_error).not.toBeNull();
    const result = await callTool(clients[0]!, "call_tool", { name: `${broken}:anything`, args: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      new RegExp(`UPSTREAM_UNAVAILABLE: upstream server "${broken}" is failed: `),
    );
    expect(result._meta).toMatchObject({
      "io.mcpproxy/error": { code: "UPSTREAM_UNAVAILABLE", server: broken },
    });
  });

  it("refreshes an upstream's tools on list_changed and tells every client", async () => {
    const counters = clients.map(listChangedCounter);
    const added = `added_${Date.now()}`;
    const call = await callTool(clients[0]!, "call_tool", {
      name: `${fast}:add_tool`,
      args: { name: added },
    });
    expect(textOf(call)).toBe(`added ${added}`);
    // A tool new since the server's tools were pinned waits for approval.
    const withheld = await waitFor(async () => {
      const refused = await callTool(clients[1]!, "call_tool", { name: `${fast}:${added}` });
      return textOf(refused).includes("TOOL_WITHHELD") ? refused : undefined;
    }, "the new tool to be listed and withheld");
    expect(textOf(withheld)).toContain(`mcpproxy servers approve ${fast} --tool ${added}`);
    // The upstream's own list_changed (the withheld tool) may reach the clients late: count from
    // here, and wait for what is asserted, the approved tool found, not for any notification.
    const before = counters.map((c) => c.count());
    const approved = await post(proxy.url, `/servers/${fast}/approve`, proxy.apiKey ?? "", {
      tools: [added],
    });
    expect(approved.status).toBe(200);
    await waitFor(
      () => counters.every((c, i) => c.count() > (before[i] ?? 0)),
      "tools/list_changed on both clients after the approval",
      10_000,
    );
    const names = await waitFor(async () => {
      const found = await callTool(clients[1]!, "retrieve_tools", { query: added });
      const listed = (found.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
      return listed[0] === `${fast}:${added}` ? listed : undefined;
    }, "retrieve_tools to rank the approved tool first");
    expect(names[0]).toBe(`${fast}:${added}`);
    const answer = await callTool(clients[1]!, "call_tool", { name: `${fast}:${added}` });
    expect(textOf(answer)).toBe(`added tool ${added} answered`);
  });

  it("lists, shows logs of, and restarts servers with upstream_servers", async () => {
    const list = await callTool(clients[0]!, "upstream_servers", { operation: "list" });
    const servers = (list.structuredContent as { servers: { name: string; state: string }[] }).servers;
    expect(servers.map((s) => [s.name, s.state])).toEqual([
      [fast, "ready"],
      [slow, "ready"],
      [broken, "failed"],
    ]);
    const logs = await callTool(clients[0]!, "upstream_servers", {
      operation: "logs",
      name: broken,
      tail: 20,
    });
    expect(textOf(logs)).toContain("cannot start: missing TOKEN");
    const restart = await callTool(clients[0]!, "upstream_servers", { operation: "restart", name: slow });
    expect(restart.structuredContent).toEqual({ name: slow, state: "ready" });
    const failing = await callTool(clients[0]!, "upstream_servers", { operation: "restart", name: broken });
    expect(failing.isError).toBe(true);
    expect(textOf(failing)).toMatch(/RESTART_FAILED/);
    const noName = await callTool(clients[0]!, "upstream_servers", { operation: "logs" });
    expect(textOf(noName)).toMatch(/BAD_REQUEST/);
  });

  it("rejects requests without a session, and with an unknown one", async () => {
    const noSession = await fetch(proxy.mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "x-api-key": "k",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(noSession.status).toBe(400);
    const unknown = await fetch(proxy.mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": "not-a-session",
        "x-api-key": "k",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe("MCP endpoint, direct mode", () => {
  const dyn = uniqueName("dyn");
  let tmp: TempDir;
  let configPath: string;
  let proxy: RunningProxy;
  let client: Client;

  beforeAll(async () => {
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, { tools_mode: "direct", mcpServers: [dynamicServer(dyn)] });
    configPath = proxy.configPath;
    await waitReady(proxy.url, proxy.apiKey, [dyn]);
    client = await connectClient(proxy.mcpUrl, proxy.apiKey);
  });

  afterAll(async () => {
    await client?.close();
    await proxy?.stop();
    await tmp?.remove();
  });

  it("exposes every upstream tool as <server>__<tool>", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `${dyn}__weather_forecast`,
        `${dyn}__sleep`,
        `${dyn}__whoami`,
        "upstream_servers",
      ]),
    );
    expect(names).not.toContain("retrieve_tools");
    for (const name of names) expect(name).toMatch(DIRECT_NAME_PATTERN);
    const forecast = tools.find((t) => t.name === `${dyn}__weather_forecast`)!;
    expect(forecast.description).toMatch(/weather forecast/);
    expect(Object.keys(forecast.inputSchema.properties ?? {})).toEqual(["city"]);
    const answer = await callTool(client, `${dyn}__weather_forecast`, { city: "Lima" });
    expect(textOf(answer)).toBe("Forecast for Lima: sunny");
    const unknown = await callTool(client, `${dyn}__nope`);
    expect(textOf(unknown)).toMatch(/UNKNOWN_TOOL/);
  });

  it("lists added upstream tools after list_changed", async () => {
    const counter = listChangedCounter(client);
    await callTool(client, `${dyn}__add_tool`, { name: "fresh_tool" });
    // Withheld (new since pinning) until approved: never in tools/list before.
    await waitFor(async () => {
      const answer = await rest<{ tools: { name: string; reason: string | null }[] }>(
        proxy.url,
        `/servers/${dyn}/security`,
        { apiKey: proxy.apiKey },
      );
      return answer.body.tools.some((t) => t.name === "fresh_tool" && t.reason === "new");
    }, "fresh_tool to be withheld as new");
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain(`${dyn}__fresh_tool`);
    // Count from the approval on: the upstream's own list_changed may still be on its way.
    const before = counter.count();
    await post(proxy.url, `/servers/${dyn}/approve`, proxy.apiKey ?? "", { tools: ["fresh_tool"] });
    const names = await waitFor(
      async () => {
        if (counter.count() === before) return undefined;
        const listed = (await client.listTools()).tools.map((t) => t.name);
        return listed.includes(`${dyn}__fresh_tool`) ? listed : undefined;
      },
      "fresh_tool in tools/list, announced by a tools/list_changed after the approval",
      10_000,
    );
    expect(names).toContain(`${dyn}__fresh_tool`);
  });
  it("applies a tools_mode edit of the config at once and tells the client", async () => {
    const counter = listChangedCounter(client);
    await writeConfig(configPath, { tools_mode: "retrieve", mcpServers: [dynamicServer(dyn)] });
    // Wait for what is asserted: the retrieve-mode list, announced by a list_changed. Another
    // list_changed (the upstream's own tools) may arrive before the mode switch, so one alone is not enough.
    const retrieveMode = ["call_tool", "retrieve_tools", "upstream_servers"];
    const names = await waitFor(
      async () => {
        if (counter.count() === 0) return false;
        const listed = (await client.listTools()).tools.map((t) => t.name).sort();
        return listed.join() === retrieveMode.join() ? listed : false;
      },
      "the retrieve-mode tool list, announced by tools/list_changed, after the tools_mode edit",
      10_000,
    );
    expect(names).toEqual(retrieveMode);
    const answer = await callTool(client, "call_tool", { name: `${dyn}:whoami` });
    expect(answer.isError).toBeFalsy();
  });
});
