// The HTTP listener: /mcp (Streamable HTTP), /api/v1 (REST). Checks Host and
// Origin on loopback, the API key where it applies, and answers JSON errors
// with a code everywhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiKeyMatches, presentedApiKey, refuseCrossSite } from "./auth.ts";
import { errorMessage, httpStatusOf, ProxyError, type ProxyErrorCode } from "./errors.ts";
import { formatHttpUrl, isLoopbackHost, type ListenAddress } from "./listen.ts";
import type { McpEndpoint } from "./mcp-endpoint.ts";
import { isWebPath, type WebHandler } from "./rest-api.ts";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServerOptions {
  address: ListenAddress;
  /** Read on every request, so a hot-reloaded api_key applies at once. */
  apiKey(): string | undefined;
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
  sendJson(res, httpStatusOf(code), errorBody(code, message));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new ProxyError("BAD_REQUEST", `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
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

  function authorized(req: IncomingMessage, url: URL): boolean {
    const expected = options.apiKey();
    if (expected === undefined || expected === "") return true;
    return apiKeyMatches(expected, presentedApiKey(req, url));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const refused = refuseCrossSite(req, loopback);
    if (refused !== undefined) return sendError(res, "FORBIDDEN", refused);

    if (url.pathname === "/mcp" || url.pathname === "/mcp/") {
      // On loopback /mcp is open like any local stdio server; elsewhere it needs the key.
      if (!loopback && !authorized(req, url)) {
        return sendError(
          res,
          "UNAUTHORIZED",
          "missing or wrong API key (use ?apikey=KEY or the X-API-Key header)",
        );
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
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
      return options.rest(req, res, { keyAccepted: authorized(req, url) });
    }

    return sendError(
      res,
      "NOT_FOUND",
      `no route ${req.method ?? "GET"} ${url.pathname} (MCP is at /mcp, REST at /api/v1, the dashboard at /ui/)`,
    );
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ProxyError) return sendError(res, error.code, error.message);
      options.onError?.(error, `${req.method ?? "GET"} ${req.url ?? "/"}`);
      sendError(res, "INTERNAL", errorMessage(error));
    });
  });

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
