// The HTTP listener: /mcp (Streamable HTTP), /api/v1 (REST). Checks Host and
// Origin on loopback, the API key where it applies, and answers JSON errors
// with a code everywhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authorizeRequest, nodeHeaders, redactUrl, refuseCrossSite } from "./auth.ts";
import { errorMessage, httpStatusOf, ProxyError, type ProxyErrorCode } from "./errors.ts";
import { formatHttpUrl, isLoopbackHost, type ListenAddress } from "./listen.ts";
import type { McpEndpoint } from "./mcp-endpoint.ts";
import type { WebHandler } from "./rest-api.ts";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A client must finish sending its headers within this time (slow-header clients are cut off). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** A client must finish sending its whole request within this time. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface HttpServerOptions {
  address: ListenAddress;
  /** Read on every request, so a hot-reloaded api_key applies at once. */
  apiKey(): string | undefined;
  /** The config's allow_loopback_without_key, read on every request. */
  allowLoopbackWithoutKey?: () => boolean;
  mcp: McpEndpoint;
  /** /api/v1 and /ui (rest-api.ts). */
  rest: WebHandler;
  onError?: (error: unknown, context: string) => void;
}

export interface RunningHttpServer {
  /** http://host:port with the port actually bound. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Paths of the REST API and the dashboard (rest-api.ts answers them). Here, not there:
 * rest-api.ts (Hono) is loaded on the first such request.
 */
export function isWebPath(pathname: string): boolean {
  return (
    pathname === "/api/v1" ||
    pathname.startsWith("/api/v1/") ||
    pathname === "/ui" ||
    pathname.startsWith("/ui/")
  );
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

export function errorBody(
  code: ProxyErrorCode,
  message: string,
): { error: { code: ProxyErrorCode; message: string } } {
  return { error: { code, message } };
}

function sendError(res: ServerResponse, code: ProxyErrorCode, message: string): void {
  // The rest of an oversized body is not read: the connection cannot be reused.
  if (code === "PAYLOAD_TOO_LARGE" && !res.headersSent) res.setHeader("connection", "close");
  sendJson(res, httpStatusOf(code), errorBody(code, message));
}

function tooLarge(): ProxyError {
  return new ProxyError("PAYLOAD_TOO_LARGE", `request body over ${MAX_BODY_BYTES} bytes`);
}

/** The body as text, refused past MAX_BODY_BYTES without buffering the excess. */
function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (req.method !== "POST" && req.method !== "PUT" && req.method !== "PATCH") return undefined;
  const text = await readBody(req);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProxyError("BAD_REQUEST", `request body is not JSON: ${errorMessage(error)}`, { cause: error });
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const loopback = isLoopbackHost(options.address.host);

  /** The reason a request to /mcp or /api/v1 is refused, or undefined. */
  function refusal(req: IncomingMessage, url: URL): string | undefined {
    const decision = authorizeRequest(nodeHeaders(req), url, {
      apiKey: options.apiKey(),
      loopbackListener: loopback,
      allowLoopbackWithoutKey: options.allowLoopbackWithoutKey?.() ?? false,
    });
    return decision.ok ? undefined : decision.reason;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const refused = refuseCrossSite(nodeHeaders(req), loopback);
    if (refused !== undefined) return sendError(res, "FORBIDDEN", refused);

    if (url.pathname === "/mcp" || url.pathname === "/mcp/") {
      const unauthorized = refusal(req, url);
      if (unauthorized !== undefined) return sendError(res, "UNAUTHORIZED", unauthorized);
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
        if (error instanceof ProxyError && error.code === "PAYLOAD_TOO_LARGE") throw error;
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ jsonrpc: "2.0", error: { code: -32700, message: errorMessage(error) }, id: null }),
        );
        return;
      }
      return options.mcp.handleHttp(req, res, body);
    }

    if (url.pathname === "/api/v1/health" || url.pathname === "/api/v1/health/") {
      if (req.method !== "GET" && req.method !== "HEAD")
        return sendError(res, "METHOD_NOT_ALLOWED", "use GET");
      return sendJson(res, 200, { status: "ok" });
    }

    if (isWebPath(url.pathname)) {
      // The REST API and the dashboard (rest-api.ts): the key check is this file's; sessions are theirs.
      const refused = refusal(req, url);
      return options.rest(req, res, { keyAccepted: refused === undefined, refusal: refused });
    }

    return sendError(
      res,
      "NOT_FOUND",
      `no route ${req.method ?? "GET"} ${url.pathname} (MCP is at /mcp, REST at /api/v1, the dashboard at /ui/)`,
    );
  }

  const server: Server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // How often those two are enforced (Node's default, 30 s, lets slow clients linger).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (error instanceof ProxyError) return sendError(res, error.code, error.message);
        // Never the raw URL: its query may carry ?apikey=.
        options.onError?.(error, `${req.method ?? "GET"} ${redactUrl(req.url ?? "/")}`);
        sendError(res, "INTERNAL", errorMessage(error));
      });
    },
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      reject(
        new ProxyError(
          "LISTEN_FAILED",
          `cannot listen on ${options.address.host}:${options.address.port}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once("error", onError);
    server.listen(options.address.port, options.address.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = options.address.host;

  return {
    url: formatHttpUrl(host, bound.port),
    host,
    port: bound.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
