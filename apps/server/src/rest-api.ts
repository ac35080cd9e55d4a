// REST API under /api/v1 (auth is checked by http-server.ts before this runs).
//   GET  /status                   proxy status, config reload state
//   GET  /servers                  every configured server
//   GET  /servers/{name}           one server
//   GET  /servers/{name}/logs?tail=N
//   POST /servers/{name}/restart
//   POST /servers/{name}/enable | /disable   (persisted in the config file)
//   GET  /diagnostics              the doctor report
import type { IncomingMessage } from "node:http";
import { errorMessage, httpStatusOf, ProxyError, type ProxyErrorCode } from "./errors.ts";
import { errorBody, type RestHandler, type RestResponse } from "./http-server.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";
import type { ServerView } from "./server-view.ts";

export const DEFAULT_LOG_TAIL = 100;
export const MAX_LOG_TAIL = 10_000;

export interface RestContext {
  registry: UpstreamRegistry;
  /** The JSON view of one server (see server-view.ts). */
  serverView(name: string): Promise<ServerView>;
  /** Writes `enabled` to the config file and applies it; resolves once applied. */
  setEnabled(name: string, enabled: boolean): Promise<void>;
  doctor(): Promise<unknown>;
  status(): Record<string, unknown>;
}

function ok(body: unknown, status = 200): RestResponse {
  return { status, body };
}

function fail(code: ProxyErrorCode, message: string): RestResponse {
  return { status: httpStatusOf(code), body: errorBody(code, message) };
}

function parseTail(url: URL): number {
  const raw = url.searchParams.get("tail");
  if (raw === null || raw === "") return DEFAULT_LOG_TAIL;
  const tail = Number(raw);
  if (!Number.isInteger(tail) || tail < 1) {
    throw new ProxyError("BAD_REQUEST", `tail must be a positive integer, got "${raw}"`);
  }
  return Math.min(tail, MAX_LOG_TAIL);
}

export function createRestHandler(ctx: RestContext): RestHandler {
  async function route(req: IncomingMessage, url: URL): Promise<RestResponse> {
    const method = req.method ?? "GET";
    const parts = url.pathname
      .replace(/^\/api\/v1\/?/, "")
      .split("/")
      .filter((p) => p !== "")
      .map((p) => decodeURIComponent(p));
    const expect = (wanted: "GET" | "POST"): void => {
      if (method !== wanted && !(wanted === "GET" && method === "HEAD")) {
        throw new ProxyError("METHOD_NOT_ALLOWED", `${url.pathname} takes ${wanted}, not ${method}`);
      }
    };
    const [head, name, action, ...rest] = parts;

    if (head === "status" && parts.length === 1) {
      expect("GET");
      return ok(ctx.status());
    }
    if (head === "diagnostics" && parts.length === 1) {
      expect("GET");
      return ok(await ctx.doctor());
    }
    if (head === "servers" && rest.length === 0) {
      if (name === undefined) {
        expect("GET");
        const servers = await Promise.all(ctx.registry.list().map((e) => ctx.serverView(e.name)));
        return ok({ servers });
      }
      if (!ctx.registry.get(name)) return fail("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
      switch (action) {
        case undefined:
          expect("GET");
          return ok(await ctx.serverView(name));
        case "logs": {
          expect("GET");
          const tail = parseTail(url);
          return ok({ name, lines: await ctx.registry.logs(name, tail) });
        }
        case "restart":
          expect("POST");
          await ctx.registry.restart(name);
          return ok(await ctx.serverView(name));
        case "enable":
        case "disable":
          expect("POST");
          await ctx.setEnabled(name, action === "enable");
          return ok(await ctx.serverView(name));
        default:
          break;
      }
    }
    return fail("NOT_FOUND", `no route ${method} ${url.pathname}`);
  }

  return async (req, url) => {
    try {
      return await route(req, url);
    } catch (error) {
      if (error instanceof ProxyError) return fail(error.code, error.message);
      if (error instanceof URIError) return fail("BAD_REQUEST", errorMessage(error));
      throw error;
    }
  };
}
