// Builds the dashboard into the server package's dist-ui for the browser tests,
// once per source state: test files run in parallel, and a second build would
// empty dist-ui under a page another file is loading. A lock directory makes
// the builders take turns; a hash of the sources skips a build that is done.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../../server/test/helpers.ts";
import { build } from "vite";

const webRoot = fileURLToPath(new URL("..", import.meta.url));
const cacheDir = path.join(webRoot, "node_modules", ".cache", "mcpproxy-web");
const lockDir = path.join(cacheDir, "build.lock");
const hashFile = path.join(cacheDir, "built-source.sha256");
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 180_000;

async function sourceHash(): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(path.join(webRoot, "src"), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  for (const file of [
    ...files,
    path.join(webRoot, "index.html"),
    path.join(webRoot, "vite.config.ts"),
  ].sort()) {
    hash
      .update(`${path.relative(webRoot, file)}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  return hash.digest("hex");
}

async function takeLock(): Promise<boolean> {
  try {
    await mkdir(lockDir);
    return true;
  } catch {
    const age = await stat(lockDir).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true });
    return false;
  }
}

export async function buildDashboard(): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await waitFor(takeLock, "the dashboard build lock", STALE_LOCK_MS + 60_000, 100);
  try {
    const wanted = await sourceHash();
    const built = await readFile(hashFile, "utf8").catch(() => "");
    const served = await stat(
      fileURLToPath(new URL("../../server/dist-ui/index.html", import.meta.url)),
    ).then(
      () => true,
      () => false,
    );
    if (built === wanted && served) return;
    await build({ root: webRoot, configFile: path.join(webRoot, "vite.config.ts"), logLevel: "warn" });
    await writeFile(hashFile, wanted);
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
