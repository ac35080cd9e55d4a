// The security routes: what a server offers and why (review), approve,
// quarantine, and the activity log of tool calls.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import {
  CALL_OUTCOMES,
  DEFAULT_ACTIVITY_LIMIT,
  MAX_ACTIVITY_LIMIT,
  type CallOutcome,
} from "@mcpproxy/security";
import { ProxyError } from "../errors.ts";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { error, json, positiveInt, secured, ServerName } from "./routes.ts";
import { ActivityList, ApproveBody, QuarantineBody, ServerReviewSchema } from "./security-schemas.ts";

export const reviewRoute = createRoute({
  method: "get",
  path: "/servers/{name}/security",
  summary: "Trust of a server and every tool it lists: offered or withheld (why), diff, scanner findings",
  security: secured,
  request: { params: ServerName },
  responses: { 200: json(ServerReviewSchema, "The review"), 404: error("No server of that name") },
});

export const approveRoute = createRoute({
  method: "post",
  path: "/servers/{name}/approve",
  summary: "Approve the tools the server lists now (all, or the named ones) and trust the server",
  security: secured,
  request: {
    params: ServerName,
    body: { content: { "application/json": { schema: ApproveBody } }, required: false },
  },
  responses: {
    200: json(ServerReviewSchema, "The review after approval"),
    400: error("A named tool is not offered by the server now"),
    403: error("Session without the CSRF token"),
    404: error("No server of that name"),
    502: error("The server has not listed its tools yet"),
  },
});

export const quarantineRoute = createRoute({
  method: "post",
  path: "/servers/{name}/quarantine",
  summary: "Quarantine a server: it keeps running, its tools are withheld and calls refused",
  security: secured,
  request: {
    params: ServerName,
    body: { content: { "application/json": { schema: QuarantineBody } }, required: false },
  },
  responses: {
    200: json(ServerReviewSchema, "The review after quarantine"),
    403: error("Session without the CSRF token"),
    404: error("No server of that name"),
  },
});

export const activityRoute = createRoute({
  method: "get",
  path: "/activity",
  summary: "The activity log of tool calls, newest first",
  security: secured,
  request: {
    query: z.object({
      server: z.string().min(1).optional(),
      tool: z.string().min(1).optional(),
      outcome: z.enum(CALL_OUTCOMES as [CallOutcome, ...CallOutcome[]]).optional(),
      since: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601 time" }),
      limit: positiveInt.optional().openapi({
        description: `At most this many (default ${DEFAULT_ACTIVITY_LIMIT}, max ${MAX_ACTIVITY_LIMIT})`,
      }),
    }),
  },
  responses: { 200: json(ActivityList, "The calls"), 400: error("A bad filter") },
});

export function registerSecurityRoutes(api: OpenAPIHono<RestEnv>, ctx: RestContext): void {
  const security = () => {
    if (!ctx.security) throw new ProxyError("NOT_FOUND", "the security store is not enabled in this proxy");
    return ctx.security;
  };
  api.openapi(reviewRoute, (c) => c.json(security().review(c.req.valid("param").name), 200));
  api.openapi(approveRoute, async (c) => {
    const { name } = c.req.valid("param");
    const body = (await c.req.json().catch(() => ({}))) as unknown;
    const parsed = ApproveBody.safeParse(body ?? {});
    if (!parsed.success)
      throw new ProxyError("BAD_REQUEST", `body: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return c.json(security().approve(name, "rest", parsed.data.tools), 200);
  });
  api.openapi(quarantineRoute, async (c) => {
    const { name } = c.req.valid("param");
    const body = (await c.req.json().catch(() => ({}))) as unknown;
    const parsed = QuarantineBody.safeParse(body ?? {});
    const reason = parsed.success ? parsed.data.reason : undefined;
    return c.json(security().quarantine(name, "rest", reason ?? "quarantined through the REST API"), 200);
  });
  api.openapi(activityRoute, (c) => {
    const { server, tool, outcome, since, limit } = c.req.valid("query");
    const entries = security().activity({
      server,
      tool,
      outcome,
      since: since === undefined ? undefined : new Date(since),
      limit: limit === undefined ? undefined : Math.min(Number(limit), MAX_ACTIVITY_LIMIT),
    });
    return c.json({ entries }, 200);
  });
}
