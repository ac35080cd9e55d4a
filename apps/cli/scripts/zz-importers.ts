import { build } from "esbuild";
import { BIN_BUNDLE_OPTIONS } from "./bundle-options.ts";
const target = process.argv[2]!;
const result = await build({ ...BIN_BUNDLE_OPTIONS, write: false, metafile: true });
const inputs = result.metafile.inputs;
const start = Object.keys(inputs).find((k) => k.endsWith("src/commands/serve.ts"))!;
const seen = new Set([start]); const queue = [start];
while (queue.length) { const cur = queue.shift()!; for (const imp of inputs[cur]?.imports ?? []) { if (imp.kind !== "import-statement" || imp.external) continue; if (!seen.has(imp.path)) { seen.add(imp.path); queue.push(imp.path); } } }
for (const k of seen) if (!k.includes("node_modules/zod") && (inputs[k]?.imports ?? []).some((i) => i.kind === "import-statement" && i.path.includes(target))) console.log(k);
