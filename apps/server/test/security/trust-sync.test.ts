// Which servers start trusted: those of the first start (unless
// quarantine_new_servers), never one that appears later; a server that leaves
// the config is forgotten (back, it is new again).
import path from "node:path";
import { defaultConfig, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import { createLogManager, type LogManager } from "@mcpproxy/diagnostics";
import { SecurityStore } from "@mcpproxy/security";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncTrust } from "../../src/security/trust-sync.ts";
import type { UpstreamEntry } from "../../src/upstream-types.ts";
import { tempDir, type TempDir } from "../helpers.ts";

const server = (name: string): ServerConfig => ({ name, command: "node", args: [], env: {}, enabled: true });
const configOf = (names: string[], extra: Partial<McpProxyConfig> = {}): McpProxyConfig => ({
  ...defaultConfig(),
  ...extra,
  mcpServers: names.map(server),
});
const running = (names: string[]) => names.map((name) => ({ name }) as UpstreamEntry);

describe("syncTrust", () => {
  let tmp: TempDir;
  let logs: LogManager;
  let store: SecurityStore;

  beforeEach(async () => {
    tmp = await tempDir();
    logs = createLogManager({ logDir: path.join(tmp.dir, "logs"), level: "error" });
    store = SecurityStore.open({ stateDir: tmp.dir });
  });
  afterEach(async () => {
    store.close();
    await logs.close();
    await tmp.remove();
  });

  const trust = (name: string) => store.getServer(name)?.trust;

  it("trusts the servers of the first start and quarantines one added while running", () => {
    syncTrust(store, [], configOf(["a", "b"]), true, logs);
    expect([trust("a"), trust("b")]).toEqual(["trusted", "trusted"]);
    syncTrust(store, running(["a", "b"]), configOf(["a", "b", "c"]), false, logs);
    expect(trust("c")).toBe("quarantined");
    expect(store.getServer("c")?.reason).toBe("added to the config file while running");
  });

  it("quarantines every server of the first start with quarantine_new_servers", () => {
    syncTrust(store, [], configOf(["a"], { quarantine_new_servers: true }), true, logs);
    expect(trust("a")).toBe("quarantined");
    expect(store.getServer("a")?.reason).toBe("quarantine_new_servers is on");
  });

  it("quarantines at a later start what appeared while stopped, and forgets what left", () => {
    syncTrust(store, [], configOf(["a", "b"]), true, logs);
    store.close();
    store = SecurityStore.open({ stateDir: tmp.dir });
    syncTrust(store, [], configOf(["a", "new"]), true, logs);
    expect([trust("a"), trust("new"), trust("b")]).toEqual(["trusted", "quarantined", undefined]);
    syncTrust(store, running(["a", "new"]), configOf(["new"]), false, logs);
    expect(trust("a")).toBeUndefined();
    syncTrust(store, running(["new"]), configOf(["new", "a"]), false, logs);
    expect(trust("a")).toBe("quarantined");
  });
});
