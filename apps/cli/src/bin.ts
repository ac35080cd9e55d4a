#!/usr/bin/env node
// The `mcpproxy` binary. Turns on Node's on-disk compile cache before loading
// anything else, so every start after the first skips compiling the CLI's code
// (a large part of start-up time); then runs the command (main.ts).
import { enableCompileCache } from "node:module";

// `pgrep -x mcpproxy` / `pkill mcpproxy` find the proxy (not a generic `node`).
process.title = "mcpproxy";
// Best effort: an unwritable cache directory only costs speed.
enableCompileCache();
await import("./main.ts");
