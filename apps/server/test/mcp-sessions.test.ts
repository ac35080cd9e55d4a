// MCP HTTP sessions end: idle ones expire, a cap evicts the oldest idle one
// (503 when every session is busy), and a refused initialize leaves nothing.
import { afterEach, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../src/http-server.ts";
import { createMcpEndpoint, type McpEndpoint, type McpEndpointOptions } from "../src/mcp-endpoint.ts";
import { waitFor } from "./helpers.ts";

const KEY = "sessions-test-key-0123456789abcdef0123";
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
});
const BOTH = "application/json, text/event-stream";

let running: { http: RunningHttpServer; mcp: McpEndpoint } | undefined;

async function start(
  options: Partial<McpEndpointOptions>,
): Promise<{ http: RunningHttpServer; mcp: McpEndpoint }> {
  const mcp = createMcpEndpoint({
    tools: {
      listTools: () => [],
      callTool: () => Promise.resolve({ content: [] }),
      searchTools: () => ({ tools: [], total_tools: 0 }),
    },
    ...options,
  });
  const http = await startHttpServer({
    address: { host: "127.0.0.1", port: 0 },
    apiKey: () => KEY,
    mcp,
    rest: (_req, res) => {
      res.writeHead(404).end();
      return Promise.resolve();
    },
  });
  running = { http, mcp };
  return running;
}

afterEach(async () => {
  await running?.mcp.close();
  await running?.http.close();
  running = undefined;
});

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: BOTH, "x-api-key": KEY, ...headers },
    body,
  });
  return response;
}

async function openSession(url: string): Promise<string> {
  const response = await post(url, INITIALIZE);
  expect(response.status).toBe(200);
  await response.body?.cancel();
  const id = response.headers.get("mcp-session-id");
  if (id === null) throw new Error("no session id");
  return id;
}

async function listStatus(url: string, session: string): Promise<number> {
  const response = await post(url, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }), {
    "mcp-session-id": session,
    "mcp-protocol-version": "2025-06-18",
  });
  await response.body?.cancel();
  return response.status;
}

describe("MCP HTTP sessions", () => {
  it("leaves no entry behind an initialize the SDK refuses", async () => {
    const { http, mcp } = await start({});
    for (let i = 0; i < 50; i++) {
      const refused = await post(http.url, INITIALIZE, { accept: "application/json" });
      expect(refused.status).toBe(406);
      await refused.body?.cancel();
    }
    expect(mcp.pendingCount).toBe(0);
    expect(mcp.sessionCount).toBe(0);
  });

  it("closes a session idle for longer than the TTL", async () => {
    const expired: string[] = [];
    const { http, mcp } = await start({ sessionIdleTtlMs: 1500, onSessionExpired: (id) => expired.push(id) });
    const id = await openSession(http.url);
    expect(mcp.sessionCount).toBe(1);
    await waitFor(() => mcp.sessionCount === 0, "the idle session to expire", 20_000);
    expect(expired).toEqual([id]);
    expect(await listStatus(http.url, id)).toBe(404);
  });

  it("evicts the oldest idle session at the cap, and answers 503 when all are busy", async () => {
    const { http, mcp } = await start({ maxSessions: 3 });
    const [first, second, third] = [
      await openSession(http.url),
      await openSession(http.url),
      await openSession(http.url),
    ];
    expect(await listStatus(http.url, second)).toBe(200); // second and third are now newer than first
    const fourth = await openSession(http.url);
    expect(mcp.sessionCount).toBe(3);
    expect(await listStatus(http.url, first)).toBe(404);
    expect(await listStatus(http.url, third)).toBe(200);

    // Every session busy: an open GET stream each.
    const streams = await Promise.all(
      [second, third, fourth].map(async (session) => {
        const controller = new AbortController();
        const response = await fetch(`${http.url}/mcp`, {
          headers: {
            accept: "text/event-stream",
            "x-api-key": KEY,
            "mcp-session-id": session,
            "mcp-protocol-version": "2025-06-18",
          },
          signal: controller.signal,
        });
        expect(response.status).toBe(200);
        return controller;
      }),
    );
    const full = await post(http.url, INITIALIZE);
    expect(full.status).toBe(503);
    expect(((await full.json()) as { error: { message: string } }).error.message).toMatch(
      /too many MCP sessions/,
    );
    for (const controller of streams) controller.abort();
    // Once a stream ends its session is idle again and can make room.
    await waitFor(async () => {
      const retry = await post(http.url, INITIALIZE);
      await retry.body?.cancel();
      return retry.status === 200 ? true : undefined;
    }, "a session to become evictable");
    expect(mcp.sessionCount).toBe(3);
  });
});
