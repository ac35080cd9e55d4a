import { describe, expect, it } from "vitest";
import { parseConfig, resolveIsolation, type ServerConfig } from "@mcpproxy/config";
import { lazyServerManager } from "../src/lazy-manager.ts";
import type { ServerManagerLike } from "../src/upstreams.ts";

const parsed = parseConfig(
  JSON.stringify({ mcpServers: [{ name: "files", command: "node", args: ["server.js"] }] }),
);
if (!parsed.ok) throw new Error("the test config is invalid");
const config = parsed.config;
const server = config.mcpServers[0] as ServerConfig;

/** A manager that records calls; add() returns a stand-in handle (never used as one here). */
function recordingManager(calls: string[]): ServerManagerLike {
  return {
    add: (added) => {
      calls.push(`add ${added.name}`);
      return {} as ReturnType<ServerManagerLike["add"]>;
    },
    remove: (name) => {
      calls.push(`remove ${name}`);
      return Promise.resolve();
    },
    stopAll: () => {
      calls.push("stopAll");
      return Promise.resolve();
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("lazyServerManager", () => {
  it("loads nothing to stop or remove when no server ever started", async () => {
    const calls: string[] = [];
    let loads = 0;
    let sweeps = 0;
    const manager = lazyServerManager({
      load: () => {
        loads += 1;
        return Promise.resolve(recordingManager(calls));
      },
      sweep: () => {
        sweeps += 1;
        return Promise.resolve();
      },
    });
    await manager.remove("files");
    await manager.stopAll();
    expect({ loads, sweeps, calls }).toEqual({ loads: 0, sweeps: 0, calls: [] });
  });

  it("refuses add() before whenReady() and delegates after it", async () => {
    const calls: string[] = [];
    const manager = lazyServerManager({
      load: () => Promise.resolve(recordingManager(calls)),
      sweep: () => Promise.resolve(),
    });
    const isolation = resolveIsolation(config, server);
    expect(() => manager.add(server, isolation)).toThrow(
      expect.objectContaining({ code: "INTERNAL" }) as Error,
    );
    await manager.whenReady(false);
    manager.add(server, isolation);
    await manager.remove("files");
    await manager.stopAll();
    expect(calls).toEqual(["add files", "remove files", "stopAll"]);
  });

  it("begins the orphan sweep at the first isolated start without waiting for it; a host start does not begin it", async () => {
    const sweep = deferred();
    let sweeps = 0;
    const manager = lazyServerManager({
      load: () => Promise.resolve(recordingManager([])),
      sweep: () => {
        sweeps += 1;
        return sweep.promise;
      },
    });
    await manager.whenReady(false);
    expect(sweeps).toBe(0);

    // The sweep never settles here: the isolated start must not wait for it.
    await manager.whenReady(true);
    expect(sweeps).toBe(1);
    sweep.resolve();
  });
});
