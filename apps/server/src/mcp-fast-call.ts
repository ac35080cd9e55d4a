// The fast lane of /mcp: an ordinary tools/call that cannot stream (no progress
// token) is answered here, without the SDK's transport and Server: no Request
// or Response objects, no zod parse of the JSON-RPC message and of the call's
// params (the shape is checked by hand), and the upstream's result goes out
// as it came unless it is unusual. Only requests the SDK would accept as they
// are come here (fastToolCall); anything else, valid or not, goes to the JSON
// lane (mcp-json-lane.ts), which answers exactly as the SDK does. Answers,
// errors, cancellation and session close mirror the SDK's Protocol.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";

export interface FastToolCall {
  id: string | number;
  name: string;
  arguments: Record<string, unknown> | undefined;
}

/** Runs one call for the session; the signal aborts when the client cancels or the session closes. */
export type ToolCallRunner = (
  name: string,
  args: Record<string, unknown> | undefined,
  signal: AbortSignal,
) => Promise<CallToolResult>;

export interface FastCalls {
  /** Answers the call with one application/json body (see fastToolCall). */
  answer(res: ServerResponse, call: FastToolCall): Promise<void>;
  /** notifications/cancelled: aborts the named call if it runs here. */
  cancel(notification: unknown): void;
  /** The session closed: every call still running is aborted and answered "Session closed". */
  close(): void;
}

const JSON_RPC_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const PARAM_KEYS = new Set(["name", "arguments", "_meta"]);
const TEXT_BLOCK_KEYS = new Set(["type", "text"]);
/** `_meta` keys the SDK treats specially (progress, tasks): such calls take the SDK's path. */
const SPECIAL_META_KEYS = new Set(["progressToken", "io.modelcontextprotocol/related-task"]);
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function headersFitTheSdk(req: IncomingMessage): boolean {
  const { accept, "content-type": contentType } = req.headers;
  const version = req.headers["mcp-protocol-version"];
  return (
    accept?.includes("application/json") === true &&
    accept.includes("text/event-stream") &&
    contentType !== undefined &&
    JSON_CONTENT_TYPE.test(contentType) &&
    (version === undefined || (typeof version === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(version)))
  );
}

/**
 * The call in `body` when the SDK's transport and Server would take it as it is (headers, JSON-RPC
 * shape, CallToolRequest params) and nothing of it needs them: no progress token, no task. Else undefined.
 */
export function fastToolCall(req: IncomingMessage, body: unknown): FastToolCall | undefined {
  if (!isPlainObject(body) || body["method"] !== "tools/call" || body["jsonrpc"] !== "2.0") return undefined;
  const id = body["id"];
  if (typeof id !== "string" && !Number.isSafeInteger(id)) return undefined;
  const params = body["params"];
  if (!onlyKeys(body, JSON_RPC_KEYS) || !isPlainObject(params) || !onlyKeys(params, PARAM_KEYS))
    return undefined;
  const { name, arguments: args, _meta: meta } = params;
  if (typeof name !== "string" || (args !== undefined && !isPlainObject(args))) return undefined;
  if (meta !== undefined && (!isPlainObject(meta) || Object.keys(meta).some((k) => SPECIAL_META_KEYS.has(k))))
    return undefined;
  if (!headersFitTheSdk(req)) return undefined;
  return { id: id as string | number, name, arguments: args };
}

/** Content the SDK's CallToolResultSchema parse would return unchanged: text blocks of type and text only. */
function passesUnchanged(result: unknown): result is CallToolResult {
  if (!isPlainObject(result) || !Array.isArray(result["content"])) return false;
  if ("_meta" in result || !(result["isError"] === undefined || typeof result["isError"] === "boolean"))
    return false;
  const structured = result["structuredContent"];
  if (structured !== undefined && !isPlainObject(structured)) return false;
  for (const block of result["content"] as unknown[]) {
    if (!isPlainObject(block) || block["type"] !== "text" || typeof block["text"] !== "string") return false;
    if (!onlyKeys(block, TEXT_BLOCK_KEYS)) return false;
  }
  return true;
}

/**
 * The result to send: as it is when the schema would not change it, else what the SDK's Server
 * sends (its CallToolResultSchema parse, defaults and stripping included; the same error if invalid).
 */
export function checkedResult(result: unknown): CallToolResult {
  if (passesUnchanged(result)) return result;
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success)
    throw new McpError(ErrorCode.InvalidParams, `Invalid tools/call result: ${parsed.error.message}`);
  return parsed.data;
}

function errorPayload(error: unknown): { code: number; message: string; data?: unknown } {
  const fields = (isPlainObject(error) || error instanceof Error ? error : {}) as Record<string, unknown>;
  const code = fields["code"];
  const message = fields["message"];
  return {
    code: Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError,
    message: typeof message === "string" ? message : "Internal error",
    ...(fields["data"] === undefined ? {} : { data: fields["data"] }),
  };
}

function writeJson(res: ServerResponse, status: number, sessionId: string, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // With its length known, Node sends headers and body in one write, not chunked.
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "mcp-session-id": sessionId,
  });
  res.end(text);
}

/** The fast calls of one session. */
export function createFastCalls(sessionId: string, run: ToolCallRunner): FastCalls {
  /** Calls running, by JSON-RPC id, with the response each is answered on. */
  const running = new Map<string | number, { abort: AbortController; res: ServerResponse }>();
  let closed = false;

  return {
    async answer(res, call) {
      if (closed) return writeJson(res, 404, sessionId, sessionClosed(call.id));
      const abort = new AbortController();
      const entry = { abort, res };
      running.set(call.id, entry);
      let body: unknown;
      try {
        const result = checkedResult(await run(call.name, call.arguments, abort.signal));
        body = { result, jsonrpc: "2.0", id: call.id };
      } catch (error) {
        body = { jsonrpc: "2.0", id: call.id, error: errorPayload(error) };
      } finally {
        if (running.get(call.id) === entry) running.delete(call.id);
      }
      if (closed) return writeJson(res, 404, sessionId, sessionClosed(call.id));
      // A cancelled request gets no JSON-RPC answer (as with the SDK); the HTTP request is ended.
      if (abort.signal.aborted) {
        if (!res.headersSent && !res.destroyed) res.writeHead(202).end();
        return;
      }
      writeJson(res, 200, sessionId, body);
    },
    cancel(notification) {
      const params = isPlainObject(notification) ? notification["params"] : undefined;
      const id = isPlainObject(params) ? params["requestId"] : undefined;
      if (typeof id !== "string" && typeof id !== "number") return;
      const reason = isPlainObject(params) ? params["reason"] : undefined;
      running.get(id)?.abort.abort(reason);
    },
    close() {
      closed = true;
      for (const [id, { abort, res }] of running) {
        abort.abort();
        writeJson(res, 404, sessionId, sessionClosed(id));
      }
      running.clear();
    },
  };
}

function sessionClosed(id: string | number): unknown {
  return { jsonrpc: "2.0", error: { code: -32001, message: "Session closed" }, id };
}
