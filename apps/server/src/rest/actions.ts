// The routes about one server beyond its view: the masked `docker run` line,
// and the actions — restart, enable/disable (persisted in the config file),
// pulling its image again.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { maskArgv } from "@mcpproxy/diagnostics";
import { shellQuote } from "@mcpproxy/docker-args";
import { ProxyError } from "../errors.ts";
import { disableRoute, dockerRunRoute, enableRoute, pullRoute, restartRoute } from "./routes.ts";

export function registerActionRoutes(api: OpenAPIHono<RestEnv>, ctx: RestContext): void {
  api.openapi(dockerRunRoute, (c) => {
    const { name } = c.req.valid("param");
    const entry = ctx.registry.get(name);
    if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
    const argv = entry.handle?.dockerArgv;
    if (argv === undefined) return c.json({ name, argv: null, command: null }, 200);
    const masked = maskArgv(argv, Object.values(entry.config.env));
    return c.json({ name, argv: masked, command: ["docker", ...masked].map(shellQuote).join(" ") }, 200);
  });
  api.openapi(restartRoute, async (c) => {
    const { name } = c.req.valid("param");
    const before = await ctx.serverView(name);
    ctx.events.emit("restart", {
      name,
      restarts: before.restarts,
      reason: "restart requested through the REST API",
    });
    await ctx.registry.restart(name);
    return c.json(await ctx.serverView(name), 200);
  });
  for (const [route, enabled] of [
    [enableRoute, true],
    [disableRoute, false],
  ] as const) {
    api.openapi(route, async (c) => {
      const { name } = c.req.valid("param");
      await ctx.serverView(name);
      await ctx.setEnabled(name, enabled);
      return c.json(await ctx.serverView(name), 200);
    });
  }
  api.openapi(pullRoute, async (c) => {
    const { name } = c.req.valid("param");
    const image = await ctx.pullImage(name);
    return c.json({ name, image, status: "pulled" as const }, 200);
  });
}
