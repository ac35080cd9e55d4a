// How the `mcpproxy` binary is bundled (scripts/bundle.ts builds it; the boot-graph
// test checks what `mcpproxy serve` loads at start with the same options).
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import { barrelImports } from "./barrel-imports.ts";
import { dockerModemWithoutSsh } from "./docker-modem-without-ssh.ts";
import { requireBuiltins } from "./require-builtins.ts";

export const BIN_BUNDLE_OPTIONS: BuildOptions = {
  absWorkingDir: fileURLToPath(new URL("..", import.meta.url)),
  entryPoints: { bin: "src/bin.ts" },
  outdir: "dist",
  // Chunks sit beside bin.js: code that reads ../package.json via import.meta.url
  // (the version) must find the CLI's own manifest from every chunk.
  chunkNames: "bin-chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  // Bundle siblings from their sources (no prior build needed) and keep nothing external:
  // the installed CLI then resolves no packages at start-up.
  conditions: ["@mcpproxy/source"],
  // jsonc-parser's "main" is a UMD build whose require() calls a bundler cannot follow.
  mainFields: ["module", "main"],
  // CommonJS dependencies (commander, pino) call require() for Node built-ins.
  banner: {
    js: [
      'import { createRequire as __mcpproxyCreateRequire } from "node:module";',
      'import { fileURLToPath as __mcpproxyFileURLToPath } from "node:url";',
      "const require = __mcpproxyCreateRequire(import.meta.url);",
      // CommonJS code (pino's transports) reads __dirname/__filename.
      "const __filename = __mcpproxyFileURLToPath(import.meta.url);",
      'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));',
    ].join("\n"),
  },
  plugins: [requireBuiltins, barrelImports, dockerModemWithoutSsh],
  legalComments: "eof",
  // Less to read and parse at every start; error classes set their own `name`.
  minify: true,
  logLevel: "warning",
};
