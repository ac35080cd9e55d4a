// The dashboard's size budget: all of its JavaScript ≤ 150 KB gzipped, and no
// URL to another host in what it ships (it works air-gapped, no CDN).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, type TempDir } from "../../server/test/helpers.ts";

const webRoot = fileURLToPath(new URL("..", import.meta.url));
const BUDGET_BYTES = 150 * 1024;

describe("the built dashboard", () => {
  let tmp: TempDir;
  let files: string[];

  beforeAll(async () => {
    tmp = await tempDir();
    await build({
      root: webRoot,
      configFile: path.join(webRoot, "vite.config.ts"),
      logLevel: "warn",
      build: { outDir: tmp.dir, emptyOutDir: true },
    });
    files = (await readdir(tmp.dir, { recursive: true })).map((f) => path.join(tmp.dir, f));
  }, 120_000);
  afterAll(async () => {
    await tmp?.remove();
  });

  it(`ships at most ${BUDGET_BYTES / 1024} KB of JavaScript, gzipped`, async () => {
    const scripts = files.filter((f) => f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const file of scripts) gzipped += gzipSync(await readFile(file)).length;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("loads nothing from another host", async () => {
    for (const file of files.filter((f) => /\.(html|js|css)$/.test(f))) {
      const text = await readFile(file, "utf8");
      expect(text, file).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(text, file).not.toMatch(/@import\s+url\(["']?https?:/);
    }
  });
});
