// Stops `pnpm install` / `pnpm start` on a Node.js too old to run MCPProxy, with
// one line instead of a stack trace (Node < 22 cannot run the .ts sources).
// Plain JavaScript with old syntax on purpose: it must run on any Node version.
// The installed binary says the same line (apps/cli/src/node-support.ts; a test keeps them equal).
import { readFileSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const range = manifest.engines.node;
const needed = Number(/\d+/.exec(range)[0]);
const found = process.versions.node;

if (Number(found.split(".")[0]) < needed) {
  process.stderr.write(
    "mcpproxy needs Node.js " +
      range +
      " but this is Node.js " +
      found +
      " (" +
      process.execPath +
      "): " +
      "install Node.js " +
      needed +
      " or newer (https://nodejs.org, or `nvm install " +
      needed +
      "` / `fnm use " +
      needed +
      "`) and run the command again.\n",
  );
  process.exit(1);
}
