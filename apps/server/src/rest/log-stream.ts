// GET /servers/{name}/logs/follow: a server's log as Server-Sent Events
// (`lines` events), so the dashboard follows it without polling.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { ProxyError } from "../errors.ts";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { KEEPALIVE_MS } from "./event-stream.ts";
import { followLogFile } from "./log-follow.ts";
import { DEFAULT_LOG_TAIL, followLogsRoute, MAX_LOG_TAIL } from "./routes.ts";

export function registerLogStreamRoute(api: OpenAPIHono<RestEnv>, ctx: RestContext): void {
  api.openapi(followLogsRoute, async (c) => {
    const { name } = c.req.valid("param");
    const raw = c.req.valid("query").tail;
    const tail = raw === undefined ? DEFAULT_LOG_TAIL : Math.min(Number(raw), MAX_LOG_TAIL);
    await ctx.serverView(name);
    if (ctx.serverLogPath === undefined) {
      throw new ProxyError("NOT_FOUND", "this proxy writes no log files to follow");
    }
    const follower = await followLogFile(ctx.serverLogPath(name), tail);
    // No file yet (nothing logged): the server's stderr buffer, as GET /logs answers.
    const initial = follower.initial.length > 0 ? follower.initial : await ctx.registry.logs(name, tail);
    c.header("cache-control", "no-store");
    c.header("x-accel-buffering", "no");
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        follower.close();
      });
      try {
        await stream.writeSSE({ event: "lines", data: JSON.stringify({ lines: initial }) });
        let lastWrite = Date.now();
        while (!closed) {
          await follower.changed();
          const lines = await follower.read();
          if (lines.length > 0) {
            await stream.writeSSE({ event: "lines", data: JSON.stringify({ lines }) });
            lastWrite = Date.now();
          } else if (!closed && Date.now() - lastWrite >= KEEPALIVE_MS) {
            await stream.write(": keepalive\n\n");
            lastWrite = Date.now();
          }
        }
      } finally {
        follower.close();
      }
    });
  });
}
