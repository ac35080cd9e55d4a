// esbuild plugin: a named import from a workspace package (`import { x } from
// "@mcpproxy/lifecycle"`) goes straight to the file that defines `x`. With code
// splitting, esbuild puts every file a package index re-exports into the chunks
// of whoever imports the index (evanw/esbuild#2922), so `mcpproxy serve` would
// load all of lifecycle (ssh2, ajv, the MCP SDK client) to call one function.
// Our package indexes are only `export { … } from "./file.ts"` lists (the
// repository's rule), which makes this rewrite exact.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Plugin, PluginBuild } from "esbuild";

interface Origin {
  file: string;
  name: string;
}

const REEXPORT = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)";/g;
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"(@mcpproxy\/[a-z0-9-]+)";/g;
const WORKSPACE_SOURCE = /\/(?:apps|packages)\/[^/]+\/src\/.+\.ts$/;

/** `a`, `a as b`, `type A` → [name, alias], undefined for a type-only specifier. */
function specifier(text: string): [string, string] | undefined {
  const spec = text.trim();
  if (spec === "" || spec.startsWith("type ")) return undefined;
  const [name = "", alias] = spec.split(/\s+as\s+/);
  return [name, alias ?? name];
}

/** Every value an index file re-exports, followed through nested indexes to its defining file. */
type Resolve = (pkg: string, fromDir: string) => Promise<string | undefined>;

async function originsOf(
  index: string,
  cache: Map<string, Promise<Map<string, Origin>>>,
  resolvePackage: Resolve,
) {
  let origins = cache.get(index);
  if (origins === undefined) {
    origins = (async () => {
      const map = new Map<string, Origin>();
      const source = await readFile(index, "utf8");
      for (const [, typeOnly, list = "", from = ""] of source.matchAll(REEXPORT)) {
        if (typeOnly !== undefined) continue;
        // Another workspace package's re-export is followed through its index too (runtime-detect
        // re-exports config's names); a name it cannot place stays imported through the index.
        const file = from.startsWith(".")
          ? path.resolve(path.dirname(index), from)
          : ((from.startsWith("@mcpproxy/") ? await resolvePackage(from, path.dirname(index)) : undefined) ??
            from);
        const nested =
          path.basename(file) === "index.ts" ? await originsOf(file, cache, resolvePackage) : undefined;
        for (const part of list.split(",")) {
          const spec = specifier(part);
          if (spec === undefined) continue;
          const [name, exported] = spec;
          map.set(exported, nested?.get(name) ?? { file, name });
        }
      }
      return map;
    })();
    cache.set(index, origins);
  }
  return origins;
}

async function rewrite(
  build: PluginBuild,
  file: string,
  source: string,
  cache: Map<string, Promise<Map<string, Origin>>>,
) {
  const replacements = new Map<string, string>();
  const resolvePackage: Resolve = async (pkg, fromDir) => {
    const resolved = await build.resolve(pkg, { kind: "import-statement", resolveDir: fromDir });
    return resolved.errors.length > 0 || path.basename(resolved.path) !== "index.ts"
      ? undefined
      : resolved.path;
  };
  for (const [statement, list = "", pkg = ""] of source.matchAll(IMPORT)) {
    const index = await resolvePackage(pkg, path.dirname(file));
    if (index === undefined) continue;
    const origins = await originsOf(index, cache, resolvePackage);
    const byFile = new Map<string, string[]>();
    for (const part of list.split(",")) {
      const spec = specifier(part);
      if (spec === undefined) continue;
      const [name, local] = spec;
      const origin = origins.get(name) ?? { file: pkg, name };
      const names = byFile.get(origin.file) ?? [];
      names.push(origin.name === local ? local : `${origin.name} as ${local}`);
      byFile.set(origin.file, names);
    }
    const lines = [...byFile].map(
      ([from, names]) => `import { ${names.join(", ")} } from ${JSON.stringify(from)};`,
    );
    replacements.set(statement, lines.join(" "));
  }
  let result = source;
  for (const [statement, replacement] of replacements) result = result.replaceAll(statement, replacement);
  return result;
}

export const barrelImports: Plugin = {
  name: "barrel-imports",
  setup(build) {
    const cache = new Map<string, Promise<Map<string, Origin>>>();
    build.onLoad({ filter: WORKSPACE_SOURCE }, async (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const source = await readFile(args.path, "utf8");
      if (!source.includes('from "@mcpproxy/')) return undefined;
      return { contents: await rewrite(build, args.path, source, cache), loader: "ts" };
    });
  },
};
