// The bundled `mcpproxy` binary (apps/cli/dist/bin.js), what a user runs: built
// once per bench run, so no dist/ from older sources is measured (turbo makes an
// up-to-date build a cache hit).
import { fileURLToPath } from "node:url";
import { run } from "./exec.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const CLI_BIN = fileURLToPath(new URL("../../apps/cli/dist/bin.js", import.meta.url));

let built: Promise<unknown> | undefined;

export function ensureCliBuilt(): Promise<unknown> {
  built ??= run("pnpm", ["--filter", "@mcpproxy/cli...", "build"], { cwd: REPO });
  return built;
}
