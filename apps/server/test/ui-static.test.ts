// /ui/: the built dashboard with a strict CSP and caching by kind, and a clear
// error naming the build command when it was not built.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uiRoutes } from "../src/ui-static.ts";
import { tempDir, type TempDir } from "./helpers.ts";

describe("/ui/ static files", () => {
  let tmp: TempDir;

  let dir: string;

  beforeAll(async () => {
    tmp = await tempDir();
    dir = path.join(tmp.dir, "dist-ui");
    await mkdir(path.join(dir, "assets"), { recursive: true });
    await writeFile(path.join(dir, "index.html"), "<!doctype html><title>t</title>");
    await writeFile(path.join(dir, "assets", "app-1234.js"), "console.log(1)");
  });
  afterAll(async () => {
    await tmp?.remove();
  });

  /** Mounted as rest-api.ts mounts it. */
  const get = (dir: string, route: string) => new Hono().route("/ui", uiRoutes(dir)).request(route);

  it("serves index.html uncached and hashed assets for good, with a strict CSP", async () => {
    const index = await get(dir, "/ui/");
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("<title>t</title>");
    expect(index.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(index.headers.get("cache-control")).toBe("no-store");
    const asset = await get(dir, "/ui/assets/app-1234.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
  });

  it("does not serve files outside the directory", async () => {
    await writeFile(path.join(tmp.dir, "secret.txt"), "secret");
    for (const route of [
      "/ui/%2e%2e/secret.txt",
      "/ui/..%2fsecret.txt",
      "/ui/assets/%2e%2e/%2e%2e/secret.txt",
    ]) {
      const escape = await get(dir, route);
      expect(escape.status, route).toBe(404);
      expect(await escape.text()).not.toContain("secret");
    }
  });

  it("names the build command when the dashboard is not built", async () => {
    const missing = await get(path.join(tmp.dir, "nope"), "/ui/");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: {
        code: "NOT_FOUND",
        message: expect.stringContaining("pnpm --filter @mcpproxy/web build") as unknown,
      },
    });
  });
});
