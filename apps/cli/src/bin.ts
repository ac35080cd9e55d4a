#!/usr/bin/env node
// The `mcpproxy` binary. Refuses a Node.js too old to run it, with one line;
// turns on Node's on-disk compile cache before loading anything else, so every
// start after the first skips compiling the CLI's code (a large part of
// start-up time); then runs the command (main.ts).
import * as nodeModule from "node:module";
import { unsupportedNode } from "./node-support.ts";

const tooOld = unsupportedNode(process.versions.node, process.execPath);
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}
// `pgrep -x mcpproxy` / `pkill mcpproxy` find the proxy (not a generic `node`).
process.title = "mcpproxy";
// Best effort: an unwritable cache directory only costs speed.
nodeModule.enableCompileCache();
await import("./main.ts");
