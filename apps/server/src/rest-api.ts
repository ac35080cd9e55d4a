// The REST API under /api/v1 and the dashboard under /ui/, on Hono with
// schema-first routes (rest/routes.ts): the OpenAPI document at
// /api/v1/openapi.json and its reference page at /api/v1/docs are generated
// from the same zod schemas the handlers answer with. Auth: the API key
// (checked by http-server.ts with auth.ts) or a dashboard session cookie.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { errorMessage, httpStatusOf, ProxyError, type ProxyErrorCode } from "./errors.ts";
import type { EventBus } from "./events.ts";
import { errorBody, MAX_BODY_BYTES } from "./http-server.ts";
import { redactUrl } from "./auth.ts";
import { accessMiddleware, registerSessionRoutes } from "./rest/access.ts";
import { registerActionRoutes } from "./rest/actions.ts";
import { eventStream } from "./rest/event-stream.ts";
import { jsonBodyOnly } from "./rest/json-body.ts";
import { registerLogStreamRoute } from "./rest/log-stream.ts";
import { referencePage } from "./rest/reference-page.ts";
import * as routes from "./rest/routes.ts";
import { registerSecurityRoutes } from "./rest/security-routes.ts";
import { createSessionStore } from "./rest/session.ts";
import type { ResourcesView } from "./resource-use.ts";
import type { SecuredUpstreams } from "./security/secured-upstreams.ts";
import type { ServerView } from "./server-view.ts";
import { uiRoutes } from "./ui-static.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";

export { DEFAULT_LOG_TAIL, MAX_LOG_TAIL } from "./rest/routes.ts";

export interface ToolSearchAnswer {
  tools: {
    name: string;
    server: string;
    tool: string;
    description: string;
    inputSchema: Record<string, unknown>;
    kind: "read-only" | "write" | "destructive" | "unknown";
    score: number;
  }[];
  total_tools: number;
}

export interface ServerStatsAnswer {
  name: string;
  state: string;
  stats: ResourcesView | null;
  /** Why `stats` is null, or where it comes from. */
  detail: string;
}

export interface RestContext {
  registry: UpstreamRegistry;
  /** The JSON view of one server (see server-view.ts). */
  serverView(name: string): Promise<ServerView>;
  /** The live resource use of one server (throws SERVER_NOT_FOUND). */
  serverStats(name: string): ServerStatsAnswer;
  /** Writes `enabled` to the config file and applies it; resolves once applied. */
  setEnabled(name: string, enabled: boolean): Promise<void>;
  /** Pulls the server's image again (progress goes to the event bus); resolves with the image. */
  pullImage(name: string): Promise<string>;
  doctor(): Promise<unknown>;
  status(): Record<string, unknown>;
  /** The ranked tool search of retrieve_tools. */
  searchTools(query: string, limit: number): ToolSearchAnswer;
  /** The API key in force (read per request: a hot-reloaded key applies at once). */
  apiKey(): string | undefined;
  events: EventBus;
  /** The log file of a server, followed by GET /servers/{name}/logs/follow (which answers 404 without it). */
  serverLogPath?: ((name: string) => string) | undefined;
  /** Quarantine, approval and the activity log; the security routes answer 404 without it. */
  security?: Pick<SecuredUpstreams, "review" | "approve" | "quarantine" | "activity"> | undefined;
  /** Where the built dashboard is; default: the server package's dist-ui. */
  uiDir?: string;
}

/** What http-server.ts decided about the request before handing it over. */
export interface RequestAccess {
  /** The request presented the API key in force, or no key is configured. */
  keyAccepted: boolean;
  /** Why the key was refused (auth.ts), told to a client that has no dashboard session either. */
  refusal?: string | undefined;
}

export type WebHandler = (req: IncomingMessage, res: ServerResponse, access: RequestAccess) => Promise<void>;

export type RestEnv = { Bindings: HttpBindings & { access: RequestAccess } };

export function failure(c: Context, code: ProxyErrorCode, message: string): Response {
  return c.json(errorBody(code, message), httpStatusOf(code) as 400);
}

function codeOfStatus(status: number): ProxyErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 405) return "METHOD_NOT_ALLOWED";
  if (status >= 400 && status < 500) return "BAD_REQUEST";
  return "INTERNAL";
}

/** `/servers/:name/restart` → a regex matching concrete paths. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

export function createRestApp(ctx: RestContext, onError?: (error: unknown, context: string) => void) {
  const sessions = createSessionStore();
  const api = new OpenAPIHono<RestEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const detail = result.error.issues
        .map((i) => `${result.target} ${i.path.join(".") || "(body)"}: ${i.message}`)
        .join("; ");
      return failure(c, "BAD_REQUEST", detail);
    },
  });

  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => failure(c, "PAYLOAD_TOO_LARGE", `request body over ${MAX_BODY_BYTES} bytes`),
    }),
  );
  api.use("*", accessMiddleware(ctx, sessions));
  api.use("*", jsonBodyOnly());
  registerSessionRoutes(api, ctx, sessions);

  api.openapi(routes.statusRoute, (c) => c.json(ctx.status(), 200));
  api.openapi(routes.diagnosticsRoute, async (c) =>
    c.json((await ctx.doctor()) as Record<string, unknown>, 200),
  );
  api.openapi(routes.listServersRoute, async (c) => {
    const servers = await Promise.all(ctx.registry.list().map((e) => ctx.serverView(e.name)));
    return c.json({ servers }, 200);
  });
  api.openapi(routes.getServerRoute, async (c) =>
    c.json(await ctx.serverView(c.req.valid("param").name), 200),
  );
  api.openapi(routes.serverLogsRoute, async (c) => {
    const { name } = c.req.valid("param");
    const raw = c.req.valid("query").tail;
    const tail = raw === undefined ? routes.DEFAULT_LOG_TAIL : Math.min(Number(raw), routes.MAX_LOG_TAIL);
    await ctx.serverView(name);
    return c.json({ name, lines: await ctx.registry.logs(name, tail) }, 200);
  });
  registerLogStreamRoute(api, ctx);
  api.openapi(routes.serverStatsRoute, (c) => c.json(ctx.serverStats(c.req.valid("param").name), 200));
  registerActionRoutes(api, ctx);
  registerSecurityRoutes(api, ctx);
  api.openapi(routes.toolSearchRoute, (c) => {
    const { q, limit } = c.req.valid("query");
    const max =
      limit === undefined
        ? routes.DEFAULT_TOOL_SEARCH_LIMIT
        : Math.min(Number(limit), routes.MAX_TOOL_SEARCH_LIMIT);
    return c.json(ctx.searchTools(q ?? "", max), 200);
  });
  api.openapi(routes.eventsRoute, (c) => eventStream(c, ctx, c.req.valid("query").stats === "true"));

  api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  api.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "mcpproxy_session",
    description: "Dashboard session (POST /session); POSTs also need the X-CSRF-Token header",
  });
  const docConfig = {
    openapi: "3.1.0",
    info: {
      title: "MCPProxy REST API",
      version: "1",
      description: "Status, servers, logs, actions, tool search and live events of a running MCPProxy.",
    },
    servers: [{ url: "/api/v1" }],
  };
  api.doc31("/openapi.json", docConfig);
  api.get("/docs", (c) => c.html(referencePage(api.getOpenAPI31Document(docConfig))));

  const app = new OpenAPIHono<RestEnv>();
  app.route("/api/v1", api);
  app.route("/ui", uiRoutes(ctx.uiDir));

  const handleError = (error: Error, c: Context<RestEnv>): Response => {
    if (error instanceof ProxyError) return failure(c, error.code, error.message);
    if (error instanceof HTTPException) return failure(c, codeOfStatus(error.status), error.message);
    const code = (error as { code?: unknown }).code;
    if (code === "ENGINE_UNREACHABLE") return failure(c, "ENGINE_UNREACHABLE", error.message);
    if (code === "IMAGE_PULL_FAILED") return failure(c, "IMAGE_PULL_FAILED", error.message);
    // The whole URL as asked, credentials in its query replaced by *** (never a key in a log).
    const asked = new URL(c.req.url);
    onError?.(error, `${c.req.method} ${redactUrl(asked.pathname + asked.search)}`);
    return failure(c, "INTERNAL", errorMessage(error));
  };
  const notFound = (c: Context<RestEnv>): Response => {
    const path = c.req.path;
    const other = app.routes.filter((r) => r.method !== "ALL" && patternOf(r.path).test(path));
    if (other.length > 0) {
      const methods = [...new Set(other.map((r) => r.method))].join(", ");
      return failure(c, "METHOD_NOT_ALLOWED", `${path} takes ${methods}, not ${c.req.method}`);
    }
    return failure(c, "NOT_FOUND", `no route ${c.req.method} ${path}`);
  };
  for (const target of [app, api]) {
    target.onError(handleError);
    target.notFound(notFound);
  }
  return app;
}

export function createRestHandler(
  ctx: RestContext,
  onError?: (error: unknown, context: string) => void,
): WebHandler {
  const app = createRestApp(ctx, onError);
  const accessOf = new WeakMap<IncomingMessage, RequestAccess>();
  const listener = getRequestListener((request, env) => {
    const incoming = (env as HttpBindings).incoming;
    return app.fetch(request, { ...env, access: accessOf.get(incoming) ?? { keyAccepted: false } });
  });
  return async (req, res, access) => {
    accessOf.set(req, access);
    await listener(req, res);
  };
}
