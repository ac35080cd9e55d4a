// ServerManager against the real engine: background starts that never throw,
// the restart policy for failed first starts, bounded concurrency, stops in
// every state, and nothing left behind.
import { waitFor } from "@mcpproxy/test-helpers";
import { describe, expect, it } from "vitest";
import { engineSuite } from "./engine-suite.ts";
import type { LifecycleError } from "../src/index.ts";
import { createServerManager, inspectContainer, type ServerManager, type ServerState } from "../src/index.ts";
import {
  EVERYTHING_ENTRY,
  instanceContainers,
  instanceId,
  isolated,
  notIsolated,
  serverConfig,
  tinyServer,
  waitForState,
  FAST_RESTARTS,
} from "./helpers.ts";

const suite = engineSuite<ServerManager>();
const managers = suite.running;

function manager(label: string, options: { concurrency?: number; maxRestarts?: number } = {}): ServerManager {
  const created = createServerManager({
    instanceId: instanceId(label),
    concurrency: options.concurrency,
    restart: { ...FAST_RESTARTS, maxRestarts: options.maxRestarts ?? 5 },
    stopGraceMs: 500,
  });
  managers.push(created);
  return created;
}

describe("createServerManager", () => {
  it("starts servers in the background, lists them, and removes one with its container", async () => {
    const servers = manager("basic");
    const iso = servers.add(tinyServer("iso", "serve"), isolated(suite.images.node));
    const host = servers.add(
      serverConfig("host", process.execPath, [EVERYTHING_ENTRY, "stdio"]),
      notIsolated(),
    );
    expect(iso.state).toBe("starting");
    expect(servers.list().map((handle) => handle.name)).toEqual(["iso", "host"]);
    expect(servers.get("iso")).toBe(iso);
    await Promise.all([waitForState(iso, "ready"), waitForState(host, "ready")]);

    const containerId = iso.container?.id ?? "";
    expect((await inspectContainer(containerId))?.running).toBe(true);
    await servers.remove("iso");
    expect(iso.state).toBe("stopped");
    expect(servers.get("iso")).toBeUndefined();
    expect(await inspectContainer(containerId)).toBeUndefined();
    await servers.remove("iso"); // unknown names are fine

    await servers.stopAll();
    expect(host.state).toBe("stopped");
    expect(servers.list()).toEqual([host]);
  });

  it("refuses a second server with the same name", async () => {
    const servers = manager("duplicate");
    servers.add(tinyServer("twice", "serve"), isolated(suite.images.node));
    expect(() => servers.add(tinyServer("twice", "serve"), isolated(suite.images.node))).toThrow(
      expect.objectContaining({ code: "SERVER_EXISTS" }) as unknown,
    );
    await servers.stopAll();
  });

  it("retries a failing first start per the restart policy, then reports failed without throwing", async () => {
    const servers = manager("bad-start", { maxRestarts: 2 });
    const handle = servers.add(
      serverConfig("broken", "sh", ["-c", "echo 'no config' >&2; exit 3"]),
      isolated(suite.images.node),
    );
    const states: ServerState[] = [];
    let exits = 0;
    handle.on("state", (state) => states.push(state));
    handle.on("exit", () => (exits += 1));
    await waitForState(handle, "failed");
    expect(states).toEqual(["restarting", "starting", "restarting", "starting", "restarting", "failed"]);
    expect(exits).toBe(3);
    expect(handle.restarts).toBe(2);
    const error = handle.lastError as LifecycleError;
    expect(error.code).toBe("PROCESS_EXITED");
    expect(error.stderrTail).toContain("no config");
    expect(handle.lastExit?.exitCode).toBe(3);
    expect(handle.container).toBeUndefined();
    expect(handle.recentStderr()).toEqual(["no config", "no config", "no config"]);
    // The last exited container stays for `docker logs`, alone; removing the server removes it.
    expect(await instanceContainers("bad-start")).toEqual([handle.keptContainer]);
    await servers.remove("broken");
    expect(await instanceContainers("bad-start")).toEqual([]);
  });

  it("runs at most `concurrency` starts at once", async () => {
    const servers = manager("serial", { concurrency: 1 });
    const order: string[] = [];
    const slow = servers.add(
      serverConfig("slow", "sh", ["-c", `sleep 1; exec "${process.execPath}" "${EVERYTHING_ENTRY}" stdio`]),
      notIsolated(),
    );
    const quick = servers.add(
      serverConfig("quick", process.execPath, [EVERYTHING_ENTRY, "stdio"]),
      notIsolated(),
    );
    slow.on("ready", () => order.push("slow"));
    quick.on("ready", () => order.push("quick"));
    await Promise.all([waitForState(slow, "ready"), waitForState(quick, "ready")]);
    // Unbounded, the quick one would be ready first.
    expect(order).toEqual(["slow", "quick"]);
    await servers.stopAll();
  });

  it("abandons a start in progress on remove(), leaving no container", async () => {
    const servers = manager("stop-while-starting");
    const handle = servers.add(
      serverConfig("sleepy", "sh", ["-c", "sleep 30; exec mcp-server-everything stdio"]),
      isolated(suite.images.everything),
    );
    const containerId = await waitFor(() => handle.container?.id, "the container to exist");
    const states: ServerState[] = [];
    handle.on("state", (state) => states.push(state));
    await servers.remove("sleepy");
    expect(states).toEqual(["stopping", "stopped"]);
    expect(await inspectContainer(containerId)).toBeUndefined();
    expect(handle.lastError).toBeUndefined();
  });

  it("stops a server waiting to restart, and it stays stopped", async () => {
    const servers = createServerManager({
      instanceId: instanceId("stop-in-backoff"),
      restart: { initialDelayMs: 5_000, maxRestarts: 3 },
    });
    managers.push(servers);
    const handle = servers.add(serverConfig("flaky", "sh", ["-c", "exit 1"]), isolated(suite.images.node));
    await waitForState(handle, "restarting");
    await servers.stopAll();
    expect(handle.state).toBe("stopped");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handle.state).toBe("stopped");
  });

  it("sweeps through the manager with its own instance id", async () => {
    const servers = manager("sweeper");
    const handle = servers.add(tinyServer("kept", "serve"), isolated(suite.images.node));
    await waitForState(handle, "ready");
    const result = await servers.sweepOrphans();
    expect(result.removed.map((container) => container.id)).not.toContain(handle.container?.id);
    expect(result.kept.map((entry) => entry.container.id)).not.toContain(handle.container?.id);
    expect((await inspectContainer(handle.container?.id ?? ""))?.running).toBe(true);
    await servers.stopAll();
  });
});
