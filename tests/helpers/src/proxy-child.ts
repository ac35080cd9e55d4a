// Child-process entry of the one proxy runner: starts the proxy of `--server`
// (a module URL exporting startProxy/runUntilSignal: test-helpers does not depend
// on the server, whose own tests use this) from a config path, prints one JSON
// line `{ url, mcpUrl, instanceId, apiKey, pid }` once ready (on stdout, or on
// stderr with --stdio, where stdout carries MCP), and runs until SIGINT/SIGTERM/SIGHUP.
// Run: node --conditions=@mcpproxy/source proxy-child.ts --server URL CONFIG [--log-dir DIR]
//        [--listen HOST:PORT] [--instance-id ID] [--stdio] [--call-timeout-ms N]
//        [--restart-max N] [--restart-initial-ms N] [--restart-max-delay-ms N]
import { parseArgs } from "node:util";
import type { ServerModule } from "./proxy-process.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: "string" },
    "log-dir": { type: "string" },
    listen: { type: "string" },
    "instance-id": { type: "string" },
    stdio: { type: "boolean", default: false },
    "call-timeout-ms": { type: "string" },
    "restart-max": { type: "string" },
    "restart-initial-ms": { type: "string" },
    "restart-max-delay-ms": { type: "string" },
  },
});
const configPath = positionals[0];
if (configPath === undefined || values.server === undefined) {
  process.stderr.write("usage: proxy-child.ts --server MODULE_URL CONFIG [--log-dir DIR] [options]\n");
  process.exit(2);
}

function numberOption(name: keyof typeof values): number | undefined {
  const text = values[name];
  return typeof text === "string" ? Number(text) : undefined;
}

const { startProxy, runUntilSignal } = (await import(values.server)) as ServerModule;
const proxy = await startProxy({
  configPath,
  listen: values.listen ?? "127.0.0.1:0",
  ...(values["log-dir"] === undefined ? {} : { logDir: values["log-dir"] }),
  ...(values["instance-id"] === undefined ? {} : { instanceId: values["instance-id"] }),
  stdio: values.stdio,
  console: false,
  callTimeoutMs: numberOption("call-timeout-ms"),
  restart: {
    maxRestarts: numberOption("restart-max"),
    initialDelayMs: numberOption("restart-initial-ms"),
    maxDelayMs: numberOption("restart-max-delay-ms"),
  },
});
const ready = JSON.stringify({
  url: proxy.url,
  mcpUrl: proxy.mcpUrl,
  instanceId: proxy.instanceId,
  apiKey: proxy.apiKey,
  pid: process.pid,
});
// Handlers before the ready line: a signal sent as soon as it is read must stop the proxy cleanly.
const stopped = runUntilSignal(proxy);
(values.stdio ? process.stderr : process.stdout).write(`${ready}\n`);
await stopped;
