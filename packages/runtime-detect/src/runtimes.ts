// The built-in command → runtime → image table. The first 19 command entries are
// the spec's default_images; pnpm, pnpx, bun, bunx and deno are named runtimes
// added here, and ALIASES maps other spellings people use onto a table key.

/** Runtimes this package knows. `binary` is the catch-all for shells and unknown commands. */
export type RuntimeName = "python" | "node" | "go" | "rust" | "ruby" | "php" | "bun" | "deno" | "binary";

/** Default image per runtime, used when neither the server nor `default_images` names one. */
export const RUNTIME_DEFAULT_IMAGES: Readonly<Record<RuntimeName, string>> = Object.freeze({
  python: "python:3.11",
  node: "node:20",
  go: "golang:1.21-alpine",
  rust: "rust:1.75-slim",
  ruby: "ruby:3.2-alpine",
  php: "php:8.2-cli-alpine",
  bun: "oven/bun:1",
  deno: "denoland/deno:2.1.4",
  binary: "alpine:3.18",
});

/** Command name → runtime, for every command this package recognises by name. */
export const COMMAND_RUNTIMES: Readonly<Record<string, RuntimeName>> = Object.freeze({
  python: "python",
  python3: "python",
  uvx: "python",
  pip: "python",
  pipx: "python",
  node: "node",
  npm: "node",
  npx: "node",
  yarn: "node",
  pnpm: "node",
  pnpx: "node",
  go: "go",
  cargo: "rust",
  rustc: "rust",
  ruby: "ruby",
  gem: "ruby",
  php: "php",
  composer: "php",
  bun: "bun",
  bunx: "bun",
  deno: "deno",
  binary: "binary",
  sh: "binary",
  bash: "binary",
});

/**
 * Other names for a table command: the Windows Python launcher (`py`, `pythonw`),
 * `uv` (same image as `uvx`), and Debian's `nodejs` / `yarnpkg` binaries.
 */
export const COMMAND_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  py: "python",
  pythonw: "python",
  uv: "uvx",
  nodejs: "node",
  yarnpkg: "yarn",
});

/**
 * Built-in command → image table (the spec's 19 `default_images` entries plus
 * pnpm, pnpx, bun, bunx and deno). Each entry is its runtime's default image.
 */
export const BUILTIN_IMAGES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(COMMAND_RUNTIMES).map(([command, runtime]) => [command, RUNTIME_DEFAULT_IMAGES[runtime]]),
  ),
);
