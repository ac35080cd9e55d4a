import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { approveDefinitions, SecurityStore, summarizeCall } from "../src/index.ts";

const stateDir = mkdtempSync(path.join(tmpdir(), "mcpproxy-state-"));
const store = SecurityStore.open({ stateDir, maxActivityBytes: 16 * 1024 * 1024 });

// A server added at run time starts quarantined; one from the config file at first start is trusted.
store.ensureServer("weather", "quarantined", "rest", "added via POST /api/v1/servers");
console.log(store.getServer("weather")?.trust); // quarantined

// `mcpproxy servers approve weather`: pin its current tools and lift the quarantine atomically.
const tools = [{ name: "forecast", description: "Weather forecast for a city." }];
store.recordBaseline("weather", approveDefinitions("tool", tools), {
  by: "cli",
  replace: "tool",
  trust: "trusted",
});
console.log(store.getServer("weather")?.trust, store.getBaseline("weather")?.length); // trusted 1

// Every call goes on record: keys and sizes; values only when the server's switch is on.
const summary = summarizeCall({
  arguments: { city: "Oslo", apiKey: "k-123" },
  result: { content: [] },
  logValues: true,
});
store.recordActivity({
  session: "mcp-session-1",
  server: "weather",
  tool: "forecast",
  durationMs: 42,
  outcome: "success",
  ...summary,
});
store.close();

// Reopened (e.g. after a restart): everything is still there.
const reopened = SecurityStore.open({ stateDir });
const [entry] = reopened.queryActivity({
  server: "weather",
  since: new Date(Date.now() - 60_000),
  limit: 10,
});
console.log(entry?.tool, entry?.outcome, entry?.argumentKeys, entry?.argumentValues);
// forecast success [ 'apiKey', 'city' ] { city: 'Oslo', apiKey: '[redacted]' }
reopened.close();
rmSync(stateDir, { recursive: true, force: true });
