// Bundles the `mcpproxy` binary into dist/bin.js (+ one chunk per lazily loaded
// command group) with esbuild: one file to read and parse instead of hundreds of
// module files, so the CLI starts fast. dist/index.js (the embeddable API) stays tsc's.
import { readdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BIN_BUNDLE_OPTIONS } from "./bundle-options.ts";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

// Chunk names carry a content hash: drop the previous build's so none go stale into a pack.
for (const name of await readdir(dist).catch(() => [])) {
  if (name.startsWith("bin-chunk-")) await rm(`${dist}${name}`);
}

await build(BIN_BUNDLE_OPTIONS);
