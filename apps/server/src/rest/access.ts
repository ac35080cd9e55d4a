// Who may use the API: a request with the API key (decided by http-server.ts
// through auth.ts), or a dashboard session cookie — whose POSTs must also carry
// the session's CSRF token, so another page cannot ride on the cookie.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { MiddlewareHandler } from "hono";
import { apiKeyMatches } from "../auth.ts";
import { ProxyError } from "../errors.ts";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { getSessionRoute, loginRoute, logoutRoute } from "./routes.ts";
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE, SESSION_TTL_MS, type SessionStore } from "./session.ts";

export const UNAUTHORIZED_MESSAGE =
  "missing or wrong API key (use ?apikey=KEY, the X-API-Key header, or log in to the dashboard)";

/** Routes anyone who passed the Host/Origin checks may read: login, and the API's own description. */
const PUBLIC_PATHS = new Set(["/api/v1/session", "/api/v1/openapi.json", "/api/v1/docs"]);

function keyRequired(ctx: RestContext): boolean {
  const key = ctx.apiKey();
  return key !== undefined && key !== "";
}

export function accessMiddleware(ctx: RestContext, sessions: SessionStore): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    const path = c.req.path.replace(/\/$/, "");
    if (PUBLIC_PATHS.has(path) || c.env.access.keyAccepted) return next();
    const session = sessions.find(getCookie(c, SESSION_COOKIE), ctx.apiKey());
    if (!session) {
      const refusal = c.env.access.refusal;
      throw new ProxyError(
        "UNAUTHORIZED",
        refusal === undefined ? UNAUTHORIZED_MESSAGE : `${refusal}, or log in to the dashboard`,
      );
    }
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD" && !csrfMatches(session.csrf, c.req.header(CSRF_HEADER))) {
      throw new ProxyError(
        "FORBIDDEN",
        `${method} with a dashboard session needs the ${CSRF_HEADER} header from GET /api/v1/session`,
      );
    }
    return next();
  };
}

export function registerSessionRoutes(
  api: OpenAPIHono<RestEnv>,
  ctx: RestContext,
  sessions: SessionStore,
): void {
  api.openapi(getSessionRoute, (c) => {
    const session = sessions.find(getCookie(c, SESSION_COOKIE), ctx.apiKey());
    const required = keyRequired(ctx);
    return c.json(
      {
        authenticated: session !== undefined || !required,
        key_required: required,
        csrf_token: session?.csrf ?? null,
      },
      200,
    );
  });

  api.openapi(loginRoute, (c) => {
    const expected = ctx.apiKey();
    if (expected === undefined || expected === "") {
      return c.json({ authenticated: true, key_required: false, csrf_token: null }, 200);
    }
    if (!apiKeyMatches(expected, c.req.valid("json").api_key)) {
      throw new ProxyError("UNAUTHORIZED", "wrong API key (it is `api_key` in mcp_config.json)");
    }
    sessions.close(getCookie(c, SESSION_COOKIE));
    const { id, csrf } = sessions.open(expected);
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    return c.json({ authenticated: true, key_required: true, csrf_token: csrf }, 200);
  });

  api.openapi(logoutRoute, (c) => {
    sessions.close(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json(
      { authenticated: !keyRequired(ctx), key_required: keyRequired(ctx), csrf_token: null },
      200,
    );
  });
}
