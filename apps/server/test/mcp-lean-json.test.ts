// The lean call path on /mcp: a request that cannot stream is answered with one
// application/json body, a call that asks for progress still gets an SSE stream
// with its progress before the result, both kinds mix in one session, a call
// is in the activity log as soon as it is answered, and a cancelled call
// answered with JSON is cancelled upstream too.
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type RunningProxy } from "../src/index.ts";
import {
  connectClient,
  plainEverything,
  rest,
  tempDir,
  textOf,
  uniqueName,
  waitFor,
  waitReady,
  writeConfig,
  type TempDir,
} from "./helpers.ts";

const BOTH = "application/json, text/event-stream";

interface RpcAnswer {
  contentType: string;
  /** The JSON-RPC messages of the answer: the body, or each SSE event's data. */
  messages: Record<string, unknown>[];
  sessionId: string | null;
}

describe("the lean call path", () => {
  const upstream = uniqueName("lean");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let client: Client;
  let sessionId: string;
  let nextId = 1;

  async function post(body: Record<string, unknown>, session?: string): Promise<RpcAnswer> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: BOTH,
      "x-api-key": proxy.apiKey ?? "",
      "mcp-protocol-version": "2025-06-18",
    };
    if (session !== undefined) headers["mcp-session-id"] = session;
    const response = await fetch(proxy.mcpUrl, { method: "POST", headers, body: JSON.stringify(body) });
    const contentType = response.headers.get("content-type") ?? "";
    const text = await response.text();
    const messages = contentType.startsWith("text/event-stream")
      ? text
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => JSON.parse(line.slice(5)) as Record<string, unknown>)
      : text === ""
        ? []
        : [JSON.parse(text) as Record<string, unknown>];
    return { contentType, messages, sessionId: response.headers.get("mcp-session-id") };
  }

  function request(method: string, params: Record<string, unknown>): Promise<RpcAnswer> {
    return post({ jsonrpc: "2.0", id: nextId++, method, params }, sessionId);
  }

  beforeAll(async () => {
    tmp = await tempDir();
    const configPath = path.join(tmp.dir, "mcp_config.json");
    await writeConfig(configPath, { tools_mode: "direct", mcpServers: [plainEverything(upstream)] });
    proxy = await startProxy({
      configPath,
      listen: "127.0.0.1:0",
      logDir: path.join(tmp.dir, "logs"),
      console: false,
    });
    await waitReady(proxy.url, proxy.apiKey, [upstream]);
    const init = await post({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "mcp-lean-test", version: "1.0.0" },
      },
    });
    if (init.sessionId === null) throw new Error("initialize gave no session id");
    sessionId = init.sessionId;
    await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
    client = await connectClient(proxy.mcpUrl, proxy.apiKey);
  });

  afterAll(async () => {
    await client?.close();
    await proxy?.stop();
    await tmp?.remove();
  });

  it("answers a tools/call with one application/json body when nothing streams", async () => {
    const answer = await request("tools/call", {
      name: `${upstream}__echo`,
      arguments: { message: "lean" },
    });
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.sessionId).toBe(sessionId);
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages[0]).toMatchObject({
      jsonrpc: "2.0",
      id: nextId - 1,
      result: { content: [{ type: "text", text: "Echo: lean" }] },
    });
    // The activity log is written in batches, but a reader never misses a call already answered.
    const { body: logged } = await rest<{ entries: Record<string, unknown>[] }>(
      proxy.url,
      `/activity?server=${upstream}&tool=echo&limit=1`,
      { apiKey: proxy.apiKey },
    );
    expect(logged.entries[0]).toMatchObject({
      session: sessionId,
      outcome: "success",
      argumentKeys: ["message"],
    });
    const listed = await request("tools/list", {});
    expect(listed.contentType).toMatch(/^application\/json/);
    const tools = (listed.messages[0]?.["result"] as { tools: { name: string }[] }).tools;
    expect(tools.map((t) => t.name)).toContain(`${upstream}__echo`);
  });

  it("streams a call that asks for progress: SSE, the progress before the result", async () => {
    const answer = await request("tools/call", {
      name: `${upstream}__trigger-long-running-operation`,
      arguments: { duration: 0.6, steps: 3 },
      _meta: { progressToken: "lean-progress" },
    });
    expect(answer.contentType).toMatch(/^text\/event-stream/);
    const progress = answer.messages.filter((m) => m["method"] === "notifications/progress");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const p of progress) expect(p["params"]).toMatchObject({ progressToken: "lean-progress" });
    const last = answer.messages.at(-1);
    expect(last).toMatchObject({ id: nextId - 1, result: { content: [{ type: "text" }] } });
  });

  it("a request the session does not know is refused the same way in either lane", async () => {
    const answer = await post(
      { jsonrpc: "2.0", id: 99, method: "tools/call", params: { name: "x__y", arguments: {} } },
      "not-a-session",
    );
    expect(answer.messages[0]).toMatchObject({ error: { code: -32001 } });
  });

  it("an SDK client gets JSON and streamed answers mixed in one session, at once", async () => {
    const seen: number[] = [];
    const [echoed, streamed, sum] = await Promise.all([
      client.callTool({ name: `${upstream}__echo`, arguments: { message: "mixed" } }),
      client.callTool(
        { name: `${upstream}__trigger-long-running-operation`, arguments: { duration: 0.6, steps: 3 } },
        undefined,
        { onprogress: (p) => seen.push(p.progress) },
      ),
      client.callTool({ name: `${upstream}__get-sum`, arguments: { a: 2, b: 3 } }),
    ]);
    expect(textOf(echoed)).toBe("Echo: mixed");
    expect(streamed.isError).toBeFalsy();
    // The last progress may share a chunk with the result (see proxy.test.ts): the first ones arrive.
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect(textOf(sum)).toContain("5");
  });

  it("cancels upstream a call answered with JSON when the client cancels it", async () => {
    const abort = new AbortController();
    const call = client.callTool(
      { name: `${upstream}__trigger-long-running-operation`, arguments: { duration: 30, steps: 2 } },
      undefined,
      { signal: abort.signal, timeout: 60_000 },
    );
    const outcome = call.then(
      () => "answered",
      () => "rejected",
    );
    // A request of the same session sent after the call is answered after the call reached the proxy.
    await client.ping();
    abort.abort();
    expect(await outcome).toBe("rejected");
    const cancelled = await waitFor(
      async () => {
        const { body } = await rest<{ entries: { tool: string; outcome: string }[] }>(
          proxy.url,
          `/activity?outcome=cancelled&server=${upstream}`,
          { apiKey: proxy.apiKey },
        );
        return body.entries.find((e) => e.tool === "trigger-long-running-operation");
      },
      "the proxy to record the call as cancelled (well before the call's 30 s)",
      20_000,
    );
    expect(cancelled.outcome).toBe("cancelled");
  });
});
