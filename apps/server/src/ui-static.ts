// The dashboard's built files (apps/web → this package's dist-ui) under /ui/.
// Hashed assets are cached for good; index.html never, so an upgrade shows at once.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type MiddlewareHandler } from "hono";
import { errorBody } from "./http-server.ts";

/**
 * The server package's dist-ui, next to src/ and dist/. Inside a bundle (the CLI's
 * dist/, where this module's URL is the bundle's) it is found through the
 * @mcpproxy/server package the CLI depends on, which ships dist-ui.
 */
export const DEFAULT_UI_DIR = uiDirOfServerPackage();

function uiDirOfServerPackage(): string {
  const beside = fileURLToPath(new URL("../dist-ui/", import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    const entry = fileURLToPath(import.meta.resolve("@mcpproxy/server"));
    return path.join(path.dirname(entry), "..", "dist-ui");
  } catch {
    return beside;
  }
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

type UiEnv = { Bindings: object };

export function uiRoutes(uiDir: string = DEFAULT_UI_DIR): Hono<UiEnv> {
  const ui = new Hono<UiEnv>();
  ui.use("*", async (c, next) => {
    if (!existsSync(`${uiDir}/index.html`)) {
      return c.json(
        errorBody(
          "NOT_FOUND",
          `the dashboard is not built (${uiDir} has no index.html): run \`pnpm --filter @mcpproxy/web build\``,
        ),
        404,
      );
    }
    await next();
    c.header("content-security-policy", CSP);
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header(
      "cache-control",
      c.req.path.startsWith("/ui/assets/") ? "public, max-age=31536000, immutable" : "no-store",
    );
  });
  ui.get("/", (c) => c.redirect("/ui/"));
  // Made on first use: serveStatic complains at creation when the directory is missing.
  let files: MiddlewareHandler<UiEnv> | undefined;
  const lazyFiles: MiddlewareHandler<UiEnv> = (c, next) => {
    files ??= serveStatic<UiEnv>({
      root: uiDir,
      rewriteRequestPath: (path) => path.replace(/^\/ui/, "") || "/",
    });
    return files(c, next);
  };
  ui.use("/*", lazyFiles);
  return ui;
}
