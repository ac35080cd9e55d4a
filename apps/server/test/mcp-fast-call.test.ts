// The fast lane of tools/call (mcp-fast-call.ts) against the SDK's JSON lane it
// stands in for: the same answers, errors, cancellation and session close. The
// endpoint runs on a plain loopback HTTP server with a scripted ToolProvider.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CallToolResultSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpEndpoint, type McpEndpoint } from "../src/mcp-endpoint.ts";
import { checkedResult } from "../src/mcp-fast-call.ts";
import type { ToolCallContext, ToolProvider } from "../src/mcp-tools.ts";

const BOTH = "application/json, text/event-stream";

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
  /** content-length, or "chunked" when the body was sent in chunks. */
  framing?: string;
}

/** What the scripted tools answer, by tool name. */
const RESULTS: Record<string, unknown> = {
  plain: { content: [{ type: "text", text: "hi" }] },
  extras: {
    content: [{ type: "text", text: "hi" }],
    structuredContent: { n: 1 },
    isError: false,
    extra: [1],
  },
  "no-content": { structuredContent: { n: 2 } },
  "block-extras": { content: [{ type: "text", text: "hi", unknown: true, _meta: { a: 1 } }] },
  image: { content: [{ type: "image", data: "aGk=", mimeType: "image/png" }] },
  "with-meta": { content: [], _meta: { "io.example/x": 1 } },
  invalid: { content: [{ type: "text", text: 42 }] },
};

describe("the fast tools/call lane", () => {
  let http: Server;
  let endpoint: McpEndpoint;
  let url: string;
  let sessionId: string;
  let nextId = 1;
  const calls: { name: string; args: unknown; context: ToolCallContext }[] = [];
  /** Calls that wait for their signal, by the message they were given. */
  const waiting = new Map<string, (context: ToolCallContext) => void>();

  const tools: ToolProvider = {
    listTools: () => [],
    searchTools: () => ({ tools: [], total_tools: 0 }),
    async callTool(name, args, context) {
      calls.push({ name, args, context });
      if (name === "throws") throw Object.assign(new Error("boom"), { code: 4242, data: { why: "test" } });
      if (name === "wait") {
        await new Promise<void>((resolve) => {
          context.signal.addEventListener("abort", () => resolve(), { once: true });
          waiting.get(String(args?.["tag"]))?.(context);
        });
        return { content: [{ type: "text", text: "late" }] };
      }
      return RESULTS[name] as CallToolResult;
    },
  };

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: BOTH,
        "mcp-protocol-version": "2025-06-18",
        "mcp-session-id": sessionId,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const length = response.headers.get("content-length");
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      body: text === "" ? undefined : (JSON.parse(text) as unknown),
      ...(text === "" ? {} : { framing: length === String(Buffer.byteLength(text)) ? "length" : "chunked" }),
    };
  }

  function call(params: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer> {
    return post({ jsonrpc: "2.0", id: nextId++, method: "tools/call", params }, headers);
  }

  /** The answer without its id, to compare two requests. */
  function withoutId(answer: Answer): unknown {
    const { id: _id, ...rest } = answer.body as Record<string, unknown>;
    return { status: answer.status, contentType: answer.contentType, body: rest, framing: answer.framing };
  }

  beforeAll(async () => {
    endpoint = createMcpEndpoint({ tools });
    http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        void endpoint.handleHttp(req, res, text === "" ? undefined : JSON.parse(text));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
    const init = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    await init.text();
    sessionId = init.headers.get("mcp-session-id") ?? "";
    expect(sessionId).not.toBe("");
    await post({ jsonrpc: "2.0", method: "notifications/initialized" });
  });

  afterAll(async () => {
    await endpoint?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  it("answers an ordinary call with one JSON body, the result as the tool gave it", async () => {
    const answer = await call({ name: "extras", arguments: { a: 1 } });
    expect(answer).toEqual({
      status: 200,
      contentType: "application/json",
      framing: "length",
      body: { jsonrpc: "2.0", id: nextId - 1, result: RESULTS["extras"] },
    });
    const seen = calls.at(-1);
    expect(seen).toMatchObject({ name: "extras", args: { a: 1 }, context: { session: sessionId } });
    expect(seen?.context.signal).toBeInstanceOf(AbortSignal);
  });

  // A params key the SDK ignores sends the same call down the SDK's JSON lane: both must answer alike.
  it.each(Object.keys(RESULTS).concat("throws"))(
    "answers %s exactly as the SDK's lane does",
    async (name) => {
      const fast = await call({ name, arguments: { x: "y" } });
      const sdk = await call({ name, arguments: { x: "y" }, ignoredBySdk: true });
      expect(calls.at(-1)?.name).toBe(name);
      expect(withoutId(fast)).toEqual(withoutId(sdk));
    },
  );

  it("checkedResult is the SDK's schema parse, without the parse when nothing would change", () => {
    for (const result of Object.values(RESULTS).slice(0, -1)) {
      expect(checkedResult(result)).toEqual(CallToolResultSchema.parse(result));
    }
    expect(checkedResult(RESULTS["plain"])).toBe(RESULTS["plain"]);
    expect(() => checkedResult(RESULTS["invalid"])).toThrow(/Invalid tools\/call result/);
  });

  it("leaves to the SDK what it refuses or treats specially", async () => {
    const notAcceptable = await call({ name: "plain" }, { accept: "application/json" });
    expect(notAcceptable.status).toBe(406);
    const badVersion = await call({ name: "plain" }, { "mcp-protocol-version": "1999-01-01" });
    expect(badVersion.status).toBe(400);
    const badArgs = await call({ name: "plain", arguments: [1] });
    expect(badArgs.body).toHaveProperty("error.message");
    expect(calls.at(-1)?.args).not.toEqual([1]);
    const badId = await post({ jsonrpc: "2.0", id: 1.5, method: "tools/call", params: { name: "plain" } });
    expect(badId.status).toBe(400);
    const withoutVersion = await call({ name: "plain" }, { "mcp-protocol-version": "" });
    expect(withoutVersion.status).toBe(400);
  });

  it("aborts a call the client cancels and ends its HTTP request without a JSON-RPC answer", async () => {
    const started = new Promise<ToolCallContext>((resolve) => waiting.set("cancel-me", resolve));
    const id = nextId++;
    const answered = post({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "wait", arguments: { tag: "cancel-me" } },
    });
    const context = await started;
    const note = await post({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: id, reason: "user gave up" },
    });
    expect(note.status).toBe(202);
    expect(context.signal.aborted).toBe(true);
    expect(context.signal.reason).toBe("user gave up");
    expect(await answered).toMatchObject({ status: 202, body: undefined });
  });

  it("aborts the calls of a session that closes and answers them Session closed", async () => {
    const started = new Promise<ToolCallContext>((resolve) => waiting.set("closing", resolve));
    const id = nextId++;
    const answered = post({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "wait", arguments: { tag: "closing" } },
    });
    const context = await started;
    const deleted = await fetch(url, { method: "DELETE", headers: { "mcp-session-id": sessionId } });
    expect(deleted.status).toBe(200);
    expect(context.signal.aborted).toBe(true);
    expect(await answered).toMatchObject({
      status: 404,
      body: { jsonrpc: "2.0", id, error: { code: -32001, message: "Session closed" } },
    });
  });
});
