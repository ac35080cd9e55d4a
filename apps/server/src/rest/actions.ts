// The action routes: restart, enable/disable (persisted in the config file),
// and pulling a server's image again.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { disableRoute, enableRoute, pullRoute, restartRoute } from "./routes.ts";

export function registerActionRoutes(api: OpenAPIHono<RestEnv>, ctx: RestContext): void {
  api.openapi(restartRoute, async (c) => {
    const { name } = c.req.valid("param");
    await ctx.serverView(name);
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
