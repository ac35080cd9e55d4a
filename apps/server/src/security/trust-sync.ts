// Which servers are trusted when they appear: those in the config file at the
// very first start (a fresh security.db) are, unless `quarantine_new_servers`;
// any server that appears later — added while running (REST, `mcpproxy servers
// add`, an edit of the file) or while the proxy was stopped — starts quarantined.
import type { McpProxyConfig } from "@mcpproxy/config";
import type { LogManager } from "@mcpproxy/diagnostics";
import type { SecurityStore } from "@mcpproxy/security";
import type { UpstreamEntry } from "../upstream-types.ts";

export function syncTrust(
  store: SecurityStore,
  running: readonly UpstreamEntry[],
  config: McpProxyConfig,
  firstApply: boolean,
  logs: LogManager,
): void {
  const trustNew = firstApply && store.created && config.quarantine_new_servers !== true;
  const before = new Set(firstApply ? store.listServers().map((s) => s.name) : running.map((e) => e.name));
  const names = new Set(config.mcpServers.map((s) => s.name));
  for (const server of config.mcpServers) {
    if (before.has(server.name) && store.getServer(server.name)) continue;
    const reason = trustNew
      ? "in the config file at the first start"
      : config.quarantine_new_servers === true
        ? "quarantine_new_servers is on"
        : firstApply
          ? "new in the config file since the last run"
          : "added to the config file while running";
    const record = store.ensureServer(server.name, trustNew ? "trusted" : "quarantined", "config", reason);
    if (record.trust === "quarantined") {
      logs.main.warn(
        { server: server.name, reason },
        `server ${server.name} is quarantined (${reason}): it runs, but its tools are hidden until ` +
          `approved with \`mcpproxy servers approve ${server.name}\``,
      );
    }
  }
  // A server that leaves the config loses its trust and baseline: back, it is new again.
  const known = firstApply ? store.listServers().map((s) => s.name) : [...before];
  for (const name of known) if (!names.has(name)) store.forgetServer(name);
}
