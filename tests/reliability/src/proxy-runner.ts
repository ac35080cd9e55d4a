// Child-process entry of the reliability tests: starts the proxy from a config
// path, prints one JSON line `{ url, mcpUrl, instanceId, apiKey, pid }` on
// stdout once ready, and runs until SIGINT/SIGTERM (like `mcpproxy serve`, with
// the per-call timeout and restart policy that startProxy takes as options).
// Run: node --conditions=@mcpproxy/source proxy-runner.ts CONFIG --log-dir DIR
//        [--call-timeout-ms N] [--restart-max N] [--restart-initial-ms N] [--restart-max-delay-ms N]
import { parseArgs } from "node:util";
import { runUntilSignal, startProxy } from "@mcpproxy/server";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "log-dir": { type: "string" },
    "call-timeout-ms": { type: "string" },
    "restart-max": { type: "string" },
    "restart-initial-ms": { type: "string" },
    "restart-max-delay-ms": { type: "string" },
  },
});
const configPath = positionals[0];
if (configPath === undefined) {
  process.stderr.write("usage: proxy-runner.ts CONFIG --log-dir DIR [--call-timeout-ms N] [--restart-* N]\n");
  process.exit(2);
}

function numberOption(name: keyof typeof values): number | undefined {
  const text = values[name];
  return typeof text === "string" ? Number(text) : undefined;
}

const proxy = await startProxy({
  configPath,
  listen: "127.0.0.1:0",
  ...(values["log-dir"] === undefined ? {} : { logDir: values["log-dir"] }),
  console: false,
  callTimeoutMs: numberOption("call-timeout-ms"),
  restart: {
    maxRestarts: numberOption("restart-max"),
    initialDelayMs: numberOption("restart-initial-ms"),
    maxDelayMs: numberOption("restart-max-delay-ms"),
  },
});
process.stdout.write(
  `${JSON.stringify({
    url: proxy.url,
    mcpUrl: proxy.mcpUrl,
    instanceId: proxy.instanceId,
    apiKey: proxy.apiKey,
    pid: process.pid,
  })}\n`,
);
await runUntilSignal(proxy);
