// esbuild plugin: Node built-ins are loaded with require(), not `import`.
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

const BUILTIN = new RegExp(`^(node:.+|${builtinModules.map((name) => name.replace("/", "\\/")).join("|")})$`);

/**
 * Node built-ins loaded with require() instead of `import`: an ESM import of a
 * built-in builds a facade that reads every export, and some exports are lazy
 * getters that load more modules (node:http's load undici: ~60 ms at each start).
 * Through require() they stay lazy until the code touches them.
 */
export const requireBuiltins: Plugin = {
  name: "require-builtins",
  setup(bundle) {
    bundle.onResolve({ filter: BUILTIN }, (args) =>
      args.kind === "import-statement" || args.kind === "dynamic-import"
        ? { path: args.path, namespace: "builtin" }
        : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};
