// The REST API: auth, the server views, logs, restart, enable/disable
// (persisted in the config file), diagnostics, JSON errors with a code.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
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
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const anyString: unknown = expect.any(String);

const KEY = "rest-test-key";

describe("REST API", () => {
  const alpha = uniqueName("alpha");
  const beta = uniqueName("beta");
  const lingering = uniqueName("lingering");
  let tmp: TempDir;
  let configPath: string;
  let proxy: RunningProxy;

  beforeAll(async () => {
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, {
      api_key: KEY,
      mcpServers: [
        dynamicServer(alpha),
        dynamicServer(beta),
        dynamicServer(lingering, { env: { LINGER: "1" } }),
      ],
    });
    configPath = proxy.configPath;
    await waitReady(proxy.url, KEY, [alpha, beta, lingering]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("answers health without a key, and nothing but liveness", async () => {
    const health = await rest(proxy.url, "/health");
    expect(health).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("refuses every other route without the right key with a 401 JSON error", async () => {
    for (const route of ["/servers", `/servers/${alpha}`, "/diagnostics", "/status"]) {
      const none = await rest(proxy.url, route);
      expect(none.status, route).toBe(401);
      expect(none.body).toEqual({ error: { code: "UNAUTHORIZED", message: anyString } });
      const wrong = await rest(proxy.url, route, { apiKey: "wrong" });
      expect(wrong.status).toBe(401);
    }
    const post = await rest(proxy.url, `/servers/${alpha}/restart`, { method: "POST" });
    expect(post.status).toBe(401);
  });

  it("accepts ?apikey= and the X-API-Key header", async () => {
    expect((await rest(proxy.url, "/servers", { apiKey: KEY })).status).toBe(200);
    expect((await rest(proxy.url, "/servers", { headers: { "X-API-Key": KEY } })).status).toBe(200);
  });

  it("lists every server with state, tool count, isolation, last error and findings", async () => {
    const { body } = await rest<{ servers: ServerJson[] }>(proxy.url, "/servers", { apiKey: KEY });
    expect(body.servers.map((s) => s.name)).toEqual([alpha, beta, lingering]);
    const a = body.servers[0]!;
    expect(a).toMatchObject({ name: alpha, enabled: true, state: "ready", last_error: null, findings: [] });
    expect(a.tool_count).toBe(5);
    expect(a.isolation).toEqual({
      enabled: false,
      reason: "server-disabled",
      detail: anyString,
      image: null,
      container_id: null,
      container_name: null,
      memory_limit: null,
      cpu_limit: null,
      network_mode: null,
      prepared: null,
    });
    const one = await rest<ServerJson>(proxy.url, `/servers/${beta}`, { apiKey: KEY });
    expect(one.body).toMatchObject({ name: beta, state: "ready", tool_count: 5 });
  });

  it("answers JSON errors with a code for unknown servers, routes and methods", async () => {
    const missing = await rest(proxy.url, "/servers/nope", { apiKey: KEY });
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: "SERVER_NOT_FOUND", message: anyString } },
    });
    const route = await rest(proxy.url, "/nothing-here", { apiKey: KEY });
    expect(route.body).toMatchObject({ error: { code: "NOT_FOUND" } });
    const method = await rest(proxy.url, `/servers/${alpha}/restart`, { apiKey: KEY });
    expect(method).toMatchObject({ status: 405, body: { error: { code: "METHOD_NOT_ALLOWED" } } });
    const tail = await rest(proxy.url, `/servers/${alpha}/logs?tail=abc`, { apiKey: KEY });
    expect(tail).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
    const outside = await fetch(new URL("/elsewhere", proxy.url));
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("returns the last log lines of a server, stderr included", async () => {
    const { status, body } = await rest<{ name: string; lines: string[] }>(
      proxy.url,
      `/servers/${alpha}/logs?tail=50`,
      { apiKey: KEY },
    );
    expect(status).toBe(200);
    expect(body.name).toBe(alpha);
    expect(body.lines.length).toBeLessThanOrEqual(50);
    expect(body.lines.join("\n")).toContain(`[stderr] dynamic upstream ${alpha} starting`);
    const two = await rest<{ lines: string[] }>(proxy.url, `/servers/${alpha}/logs?tail=2`, { apiKey: KEY });
    expect(two.body.lines).toHaveLength(2);
  });

  it("restarts one server (a new process) and leaves the other alone", async () => {
    const client = await connectClient(proxy.mcpUrl, proxy.apiKey);
    try {
      const before = textOf(await callTool(client, "call_tool", { name: `${alpha}:whoami` }));
      const other = textOf(await callTool(client, "call_tool", { name: `${beta}:whoami` }));
      const restarted = await rest<ServerJson>(proxy.url, `/servers/${alpha}/restart`, {
        apiKey: KEY,
        method: "POST",
      });
      expect(restarted.status).toBe(200);
      expect(restarted.body).toMatchObject({ name: alpha, state: "ready" });
      const after = await waitFor(async () => {
        const result = await callTool(client, "call_tool", { name: `${alpha}:whoami` });
        return result.isError ? undefined : textOf(result);
      }, "alpha to answer after the restart");
      expect(after).not.toBe(before);
      expect(textOf(await callTool(client, "call_tool", { name: `${beta}:whoami` }))).toBe(other);
    } finally {
      await client.close();
    }
  });

  it("holds a call made while a server restarts until it is back, keeping its tools listed", async () => {
    const client = await connectClient(proxy.mcpUrl, proxy.apiKey);
    try {
      const before = textOf(await callTool(client, "call_tool", { name: `${lingering}:whoami` }));
      const restart = rest<ServerJson>(proxy.url, `/servers/${lingering}/restart`, {
        apiKey: KEY,
        method: "POST",
      });
      await waitFor(async () => {
        const { body } = await rest<ServerJson>(proxy.url, `/servers/${lingering}`, { apiKey: KEY });
        return body.state === "restarting" && body.tool_count > 0;
      }, "the restart to be under way (the server lingers for the stop grace period)");
      const during = await callTool(client, "call_tool", { name: `${lingering}:whoami` });
      expect(textOf(during)).toMatch(/^lingering-.* pid \d+$/);
      expect(textOf(during)).not.toBe(before);
      expect((await restart).body).toMatchObject({ state: "ready" });
    } finally {
      await client.close();
    }
  });

  it("disables and enables a server, persisting it in the config file", async () => {
    const disabled = await rest<ServerJson>(proxy.url, `/servers/${beta}/disable`, {
      apiKey: KEY,
      method: "POST",
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ name: beta, enabled: false, state: "disabled", tool_count: 0 });
    const file = JSON.parse(await readFile(configPath, "utf8")) as {
      mcpServers: { name: string; enabled?: boolean }[];
    };
    expect(file.mcpServers.find((s) => s.name === beta)?.enabled).toBe(false);

    const client = await connectClient(proxy.mcpUrl, proxy.apiKey);
    try {
      const call = await callTool(client, "call_tool", { name: `${beta}:whoami` });
      expect(call.isError).toBe(true);
      expect(textOf(call)).toMatch(/SERVER_DISABLED.*disabled/);
    } finally {
      await client.close();
    }

    const enabled = await rest<ServerJson>(proxy.url, `/servers/${beta}/enable`, {
      apiKey: KEY,
      method: "POST",
    });
    expect(enabled.body).toMatchObject({ name: beta, enabled: true });
    const again = JSON.parse(await readFile(configPath, "utf8")) as {
      mcpServers: { name: string; enabled?: boolean }[];
    };
    expect(again.mcpServers.find((s) => s.name === beta)?.enabled).not.toBe(false);
    await waitReady(proxy.url, KEY, [beta]);
  });

  it("returns the doctor report on /diagnostics and the reload state on /status", async () => {
    const diagnostics = await rest(proxy.url, "/diagnostics", { apiKey: KEY });
    expect(diagnostics.status).toBe(200);
    expect(typeof diagnostics.body).toBe("object");
    const status = await rest<{ instance_id: string; tools_mode: string; reload: { last_error: unknown } }>(
      proxy.url,
      "/status",
      { apiKey: KEY },
    );
    expect(status.body).toMatchObject({ instance_id: proxy.instanceId, tools_mode: "retrieve" });
    expect(status.body.reload.last_error).toBeNull();
  });

  it("refuses browser pages of other origins and rebinding Host names", async () => {
    const origin = await fetch(new URL(`/api/v1/servers?apikey=${KEY}`, proxy.url), {
      headers: { Origin: "https://evil.example" },
    });
    expect(origin.status).toBe(403);
    expect(await origin.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });
});
