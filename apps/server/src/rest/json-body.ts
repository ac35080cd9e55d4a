// REST writes take JSON or nothing. A form or text body is refused before any
// route runs, so a cross-site form POST (a "simple" request no browser
// preflights) can never reach an action such as a restart.
import type { MiddlewareHandler } from "hono";
import { ProxyError } from "../errors.ts";
import type { RestEnv } from "../rest-api.ts";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function jsonBodyOnly(): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    // Hono keeps the read body, so the route's own JSON parsing still sees it.
    const text = await c.req.text();
    if (text.trim() === "") return next();
    try {
      JSON.parse(text);
    } catch (error) {
      throw new ProxyError(
        "BAD_REQUEST",
        `request body is not JSON (content-type ${c.req.header("content-type") ?? "none"}): send a JSON object or no body`,
        { cause: error },
      );
    }
    return next();
  };
}
