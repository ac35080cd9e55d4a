// The MCP side of the proxy: one low-level SDK Server per client session,
// over Streamable HTTP (/mcp, many sessions at once) or stdio. Every session
// serves the same ToolProvider and is told when the upstream tool set changes.
// A request that cannot stream (no progress token) is answered with one JSON
// body instead of an SSE stream: an ordinary tools/call by mcp-fast-call.ts,
// the rest by the SDK in JSON mode (mcp-json-lane.ts).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable, Writable } from "node:stream";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import type { ToolProvider } from "./mcp-tools.ts";
import { createFastCalls, fastToolCall, type FastCalls } from "./mcp-fast-call.ts";
import { answersWithJson, isCancellation, openJsonLane, type JsonLane } from "./mcp-json-lane.ts";
import { PROXY_NAME, PROXY_VERSION } from "./version.ts";

const INSTRUCTIONS =
  "MCPProxy gives you the tools of many MCP servers through one connection. Use retrieve_tools to find a tool by " +
  'what it does, then call_tool with its name ("<server>:<tool>") and arguments. upstream_servers shows which ' +
  "servers are running and their recent logs.";

interface Session {
  server: Server;
  transport: Transport;
}

interface HttpSession {
  server: Server;
  transport: StreamableHTTPServerTransport;
  /** Requests of this session still being answered (an open GET stream counts). */
  inFlight: number;
  /** performance.now() when the last request ended (or began). */
  lastActive: number;
  /** The client's initialize message: the JSON lane is initialized with it. */
  initialize: unknown;
  /** Opened at the first request that can be answered with JSON; undefined when it could not open. */
  jsonLane?: Promise<JsonLane | undefined>;
  /** The session's ordinary tools/calls (mcp-fast-call.ts), set up at the first. */
  fastCalls?: FastCalls;
}

/** A session without a request for this long is closed. */
export const DEFAULT_SESSION_IDLE_TTL_MS = 30 * 60_000;
/** At most this many HTTP sessions at once; beyond it the oldest idle one is closed. */
export const DEFAULT_MAX_SESSIONS = 200;

export interface McpEndpoint {
  /** Handles a request on /mcp (POST, GET, DELETE); `body` is the parsed JSON of a POST. */
  handleHttp(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  /** Serves one session over a byte stream pair (process stdin/stdout for `serve --stdio`). Resolves when connected. */
  connectStdio(input: Readable, output: Writable): Promise<{ closed: Promise<void> }>;
  /** Sends notifications/tools/list_changed to every connected session. */
  notifyToolsChanged(): void;
  readonly sessionCount: number;
  /** HTTP sessions whose initialize is still being answered. */
  readonly pendingCount: number;
  close(): Promise<void>;
}

export interface McpEndpointOptions {
  tools: ToolProvider;
  onError?: (error: Error, context: string) => void;
  /** Idle time after which an HTTP session is closed. Default DEFAULT_SESSION_IDLE_TTL_MS. */
  sessionIdleTtlMs?: number;
  /** Most HTTP sessions at once (initializing ones included). Default DEFAULT_MAX_SESSIONS. */
  maxSessions?: number;
  /** Told when a session is closed for idleness or to make room. */
  onSessionExpired?: (sessionId: string, why: "idle" | "evicted") => void;
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

export function createMcpEndpoint(options: McpEndpointOptions): McpEndpoint {
  const idleTtlMs = options.sessionIdleTtlMs ?? DEFAULT_SESSION_IDLE_TTL_MS;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  /** HTTP sessions by Mcp-Session-Id. */
  const sessions = new Map<string, HttpSession>();
  /** HTTP sessions whose initialize is in flight. */
  const pending = new Set<HttpSession>();
  const stdioSessions = new Set<Session>();
  let closing = false;

  function createServer(): Server {
    const server = new Server(
      { name: PROXY_NAME, version: PROXY_VERSION },
      { capabilities: { tools: { listChanged: true } }, instructions: INSTRUCTIONS },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: options.tools.listTools() }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const progressToken = request.params._meta?.progressToken;
      // Relayed progress must leave before the result, or the stream closes under it.
      const relayed: Promise<void>[] = [];
      const result = await options.tools.callTool(request.params.name, request.params.arguments, {
        signal: extra.signal,
        session: extra.sessionId,
        onProgress:
          progressToken === undefined
            ? undefined
            : (p) => {
                relayed.push(
                  extra
                    .sendNotification({ method: "notifications/progress", params: { progressToken, ...p } })
                    .catch((error: unknown) => options.onError?.(error as Error, "relaying progress")),
                );
              },
      });
      await Promise.all(relayed);
      return result;
    });
    server.onerror = (error) => options.onError?.(error, "mcp session");
    return server;
  }

  async function closeSession(session: Session | HttpSession): Promise<void> {
    if ("fastCalls" in session) session.fastCalls?.close();
    const lane = "jsonLane" in session ? await session.jsonLane : undefined;
    await Promise.all([session.server.close().catch(() => undefined), lane?.close()]);
  }

  /** The session's JSON lane, opened on first use (undefined when it cannot open: the SSE lane answers). */
  function jsonLaneOf(session: HttpSession, sessionId: string): Promise<JsonLane | undefined> {
    session.jsonLane ??= openJsonLane(createServer(), sessionId, session.initialize).catch(
      (error: unknown) => {
        options.onError?.(error as Error, "opening the JSON response lane");
        return undefined;
      },
    );
    return session.jsonLane;
  }

  /** A request of an established session: JSON when nothing can stream, else the SDK's SSE answer. */
  async function serveSessionRequest(
    session: HttpSession,
    sessionId: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
  ): Promise<void> {
    if (answersWithJson(req, body)) {
      const call = fastToolCall(req, body);
      if (call !== undefined) {
        session.fastCalls ??= createFastCalls(sessionId, (name, args, signal) =>
          options.tools.callTool(name, args, { signal, session: sessionId }),
        );
        return session.fastCalls.answer(res, call);
      }
      const lane = await jsonLaneOf(session, sessionId);
      if (lane !== undefined) return lane.answer(req, res, body);
    } else if (isCancellation(body)) {
      // The cancelled request may be running in any lane; each ignores ids it does not know.
      session.fastCalls?.cancel(body);
      if (session.jsonLane !== undefined) await (await session.jsonLane)?.deliver(req, body);
    }
    return session.transport.handleRequest(req, res, body);
  }

  function dropHttpSession(session: HttpSession): void {
    const id = session.transport.sessionId;
    if (id !== undefined && sessions.get(id) === session) sessions.delete(id);
    pending.delete(session);
    void closeSession(session);
  }

  /** Closes sessions idle for longer than the TTL. */
  function expireIdle(now = performance.now()): void {
    for (const [id, session] of sessions) {
      if (session.inFlight === 0 && now - session.lastActive >= idleTtlMs) {
        dropHttpSession(session);
        options.onSessionExpired?.(id, "idle");
      }
    }
  }

  /** Makes room for one more session: false when every session is busy. */
  function makeRoom(): boolean {
    if (sessions.size + pending.size < maxSessions) return true;
    expireIdle();
    if (sessions.size + pending.size < maxSessions) return true;
    let oldest: [string, HttpSession] | undefined;
    for (const entry of sessions) {
      if (entry[1].inFlight === 0 && (oldest === undefined || entry[1].lastActive < oldest[1].lastActive))
        oldest = entry;
    }
    if (oldest === undefined) return false;
    dropHttpSession(oldest[1]);
    options.onSessionExpired?.(oldest[0], "evicted");
    return true;
  }

  // Idle sessions are swept even when no new session arrives; the timer never keeps the process alive.
  const sweeper = setInterval(() => expireIdle(), Math.max(1000, Math.min(idleTtlMs / 4, 60_000)));
  sweeper.unref();

  /** Runs one request of a session, keeping it busy (not evictable) until the response has ended. */
  async function serveRequest(session: HttpSession, run: () => Promise<void>, res: ServerResponse) {
    session.inFlight++;
    session.lastActive = performance.now();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      session.inFlight--;
      session.lastActive = performance.now();
    };
    res.once("close", release);
    try {
      await run();
    } finally {
      if (res.writableEnded || res.destroyed) release();
    }
  }

  async function initialize(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (!makeRoom()) {
      return jsonRpcError(
        res,
        503,
        -32000,
        `too many MCP sessions (${maxSessions}, all busy); close clients you no longer use and retry`,
      );
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        pending.delete(session);
        sessions.set(id, session);
      },
    });
    const session: HttpSession = {
      server: createServer(),
      transport,
      inFlight: 0,
      lastActive: performance.now(),
      initialize: body,
    };
    transport.onclose = () => {
      // As the SDK's Server aborts its handlers when its transport closes (DELETE /mcp).
      session.fastCalls?.close();
      if (transport.sessionId !== undefined && sessions.get(transport.sessionId) === session)
        sessions.delete(transport.sessionId);
      pending.delete(session);
    };
    pending.add(session);
    try {
      await session.server.connect(transport);
      await serveRequest(session, () => transport.handleRequest(req, res, body), res);
    } finally {
      // An initialize the SDK refused (wrong Accept, bad version...) leaves nothing behind.
      const id = transport.sessionId;
      if (id === undefined || sessions.get(id) !== session || closing) dropHttpSession(session);
      else pending.delete(session);
    }
  }

  return {
    async handleHttp(req, res, body) {
      if (closing) return jsonRpcError(res, 503, -32000, "MCPProxy is shutting down");
      const header = req.headers["mcp-session-id"];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (!session) return jsonRpcError(res, 404, -32001, `Session not found: ${sessionId}`);
        return serveRequest(session, () => serveSessionRequest(session, sessionId, req, res, body), res);
      }
      if (req.method !== "POST" || !isInitializeRequest(body)) {
        return jsonRpcError(res, 400, -32000, "Bad Request: no valid session ID (send initialize first)");
      }
      return initialize(req, res, body);
    },

    async connectStdio(input, output) {
      const transport = new StdioServerTransport(input, output);
      const session: Session = { server: createServer(), transport };
      stdioSessions.add(session);
      const closed = new Promise<void>((resolve) => {
        const done = () => {
          stdioSessions.delete(session);
          resolve();
        };
        transport.onclose = done;
        // The SDK transport does not notice the end of its input: the client went away.
        input.once("end", () => void closeSession(session).finally(done));
        input.once("close", () => void closeSession(session).finally(done));
      });
      await session.server.connect(transport);
      return { closed };
    },

    notifyToolsChanged() {
      for (const session of [...sessions.values(), ...stdioSessions]) {
        session.server
          .sendToolListChanged()
          .catch((error: unknown) => options.onError?.(error as Error, "sending tools/list_changed"));
      }
    },

    get sessionCount() {
      return sessions.size + stdioSessions.size;
    },

    get pendingCount() {
      return pending.size;
    },

    async close() {
      closing = true;
      clearInterval(sweeper);
      const all: Session[] = [...sessions.values(), ...pending, ...stdioSessions];
      sessions.clear();
      pending.clear();
      stdioSessions.clear();
      await Promise.all(all.map(closeSession));
    },
  };
}
