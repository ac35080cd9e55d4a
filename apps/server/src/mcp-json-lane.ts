// The JSON lane of an HTTP session: requests that cannot stream anything back
// (no progress token) are answered with one `application/json` body instead of
// an SSE stream (one write instead of headers, event and end, and no stream
// plumbing per call). The SDK's transport decides JSON or SSE once per
// transport, so the lane is a second transport of the same session id, in JSON
// mode, with its own Server on the same handlers; it is initialized with the
// client's own initialize message. Streaming requests, GET and DELETE stay on
// the session's SSE transport. An ordinary tools/call does not come here: the
// fast lane (mcp-fast-call.ts) answers it without the SDK.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

/** Only read by the transport for the request info its handlers get; never fetched. */
const LANE_URL = "http://mcpproxy.invalid/mcp";
const FORWARDED_HEADERS = ["accept", "content-type", "mcp-session-id", "mcp-protocol-version"] as const;

export interface JsonLane {
  /** Answers one request (see answersWithJson) with a JSON body. */
  answer(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  /** Hands a notification (a cancellation) to the lane, without answering the HTTP request. */
  deliver(req: IncomingMessage, body: unknown): Promise<void>;
  close(): Promise<void>;
}

export class JsonLaneError extends Error {
  readonly code = "JSON_LANE_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JsonLaneError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a POST can be answered with JSON: the client accepts it, and the body is
 * one request (not a batch) without a progress token, so nothing streams before
 * its result. A structural check only: the lane's transport validates the message.
 */
export function answersWithJson(req: IncomingMessage, body: unknown): boolean {
  if (req.method !== "POST" || req.headers.accept?.includes("application/json") !== true) return false;
  if (!isRecord(body) || typeof body["method"] !== "string") return false;
  const id = body["id"];
  if (typeof id !== "string" && typeof id !== "number") return false;
  const params = body["params"];
  const meta = isRecord(params) ? params["_meta"] : undefined;
  return !isRecord(meta) || meta["progressToken"] === undefined;
}

/** notifications/cancelled: the request it names may run in the JSON lane. */
export function isCancellation(body: unknown): boolean {
  return isRecord(body) && body["method"] === "notifications/cancelled" && !("id" in body);
}

/** The lane's Request: `req`'s headers, and the session id on everything but the initialize (`sessionId` undefined). */
function laneRequest(req: IncomingMessage | undefined, sessionId: string | undefined): Request {
  const headers = new Headers({
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  });
  for (const name of FORWARDED_HEADERS) {
    const value = req?.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  if (sessionId !== undefined) headers.set("mcp-session-id", sessionId);
  return new Request(LANE_URL, { method: "POST", headers });
}

/**
 * The lane's Request for `req`: bodiless (the parsed body goes beside it), so one
 * per header combination serves every call of the session (a client sends the same
 * accept and protocol version each time): no Request or Headers is built per call.
 */
function laneRequests(sessionId: string): (req: IncomingMessage) => Request {
  const byHeaders = new Map<string, Request>();
  return (req) => {
    const key = FORWARDED_HEADERS.map((name) => String(req.headers[name] ?? "")).join("\n");
    let request = byHeaders.get(key);
    if (request === undefined) {
      request = laneRequest(req, sessionId);
      if (byHeaders.size < 8) byHeaders.set(key, request);
    }
    return request;
  };
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const text = await response.text();
  if (res.destroyed) return;
  // With its length known, Node sends headers and body in one write, not chunked.
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}

/** Opens the lane: `server` (fresh, with the session's handlers) on a JSON-mode transport of `sessionId`. */
export async function openJsonLane(
  server: Server,
  sessionId: string,
  initialize: unknown,
): Promise<JsonLane> {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => sessionId,
    enableJsonResponse: true,
  });
  // A request in flight when the lane closes has no answer coming: it is told so.
  let markClosed: () => void = () => undefined;
  const closed = new Promise<"closed">((resolve) => (markClosed = () => resolve("closed")));
  transport.onclose = markClosed;
  await server.connect(transport);
  const init = await transport.handleRequest(laneRequest(undefined, undefined), { parsedBody: initialize });
  if (!init.ok) {
    await server.close().catch(() => undefined);
    throw new JsonLaneError(`the JSON lane's initialize was refused (${init.status}): ${await init.text()}`);
  }
  const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
  const accepted = await transport.handleRequest(laneRequest(undefined, sessionId), {
    parsedBody: initialized,
  });
  if (!accepted.ok) {
    await server.close().catch(() => undefined);
    throw new JsonLaneError(
      `the JSON lane's initialized notification was refused (${accepted.status}): ${await accepted.text()}`,
    );
  }
  const requestFor = laneRequests(sessionId);

  return {
    async answer(req, res, body) {
      const answered = await Promise.race([
        transport.handleRequest(requestFor(req), { parsedBody: body }),
        closed,
      ]);
      if (answered !== "closed") return writeResponse(res, answered);
      if (res.headersSent || res.destroyed) return;
      const id = isRecord(body) ? (body["id"] ?? null) : null;
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session closed" }, id }));
    },
    async deliver(req, body) {
      await transport.handleRequest(requestFor(req), { parsedBody: body });
    },
    close: () => server.close().catch(() => undefined),
  };
}
