// Supervision of a started server against the real engine: OOM reporting,
// crash restarts, crash loops, restart(), stops of stubborn servers.
import { execa } from "execa";
import { waitFor } from "@mcpproxy/test-helpers";
import { describe, expect, it } from "vitest";
import { engineSuite } from "./engine-suite.ts";
import {
  inspectContainer,
  LifecycleError,
  startServer,
  type ExitInfo,
  type ServerHandle,
  type ServerState,
} from "../src/index.ts";
import {
  EVERYTHING_ENTRY,
  instanceContainers,
  instanceId,
  isolated,
  notIsolated,
  serverConfig,
  tinyHostServer,
  tinyServer,
  waitForState,
  FAST_RESTARTS,
} from "./helpers.ts";

const suite = engineSuite<ServerHandle>();
const handles = suite.running;

function track(handle: ServerHandle): { states: ServerState[]; exits: ExitInfo[] } {
  handles.push(handle);
  const states: ServerState[] = [];
  const exits: ExitInfo[] = [];
  handle.on("state", (state) => states.push(state));
  handle.on("exit", (info) => exits.push(info));
  return { states, exits };
}

function pidFromStderr(handle: ServerHandle): number | undefined {
  for (const line of handle.recentStderr()) {
    const match = /pid (\d+)/.exec(line);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("supervision", () => {
  it("reports an OOM kill past --memory in lastExit and lastError", async () => {
    const handle = await startServer(
      tinyServer("hog", "serve"),
      isolated(suite.images.node, { memory_limit: "32m" }),
      {
        instanceId: instanceId("oom"),
        restart: { ...FAST_RESTARTS, maxRestarts: 0 },
      },
    );
    const { exits } = track(handle);
    const containerId = handle.container?.id ?? "";
    await expect(handle.client?.callTool({ name: "allocate", arguments: {} })).rejects.toThrow();
    await waitForState(handle, "failed");
    expect(handle.lastExit?.oomKilled).toBe(true);
    expect(handle.lastExit?.exitCode).toBe(137);
    expect(handle.lastExit?.reason).toBe("container was OOMKilled (memory limit 32m)");
    expect(exits).toHaveLength(1);
    const error = handle.lastError as LifecycleError;
    expect(error).toBeInstanceOf(LifecycleError);
    expect(error.code).toBe("PROCESS_EXITED");
    expect(error.message).toMatch(/OOMKilled/);
    // Inspected (no --rm race), and kept for `docker logs`/`docker inspect` until the server stops.
    expect((await inspectContainer(containerId))?.oomKilled).toBe(true);
    expect(handle.keptContainer).toBe(containerId);
    await handle.stop();
    expect(await inspectContainer(containerId)).toBeUndefined();
  });

  it("restarts a killed container and serves again with a new one", async () => {
    const handle = await startServer(
      serverConfig("everything", "mcp-server-everything", ["stdio"]),
      isolated(suite.images.everything),
      { instanceId: instanceId("restart"), restart: FAST_RESTARTS, stopGraceMs: 500 },
    );
    const { states, exits } = track(handle);
    const first = handle.container?.id ?? "";
    const readyAgain = new Promise((resolve) => handle.once("ready", resolve));
    await execa("docker", ["kill", first]);
    await readyAgain;
    expect(states).toEqual(["restarting", "starting", "ready"]);
    expect(exits[0]?.exitCode).toBe(137);
    expect(exits[0]?.oomKilled).toBe(false);
    expect(handle.restarts).toBe(1);
    expect(handle.container?.id).not.toBe(first);
    expect(await inspectContainer(first)).toBeUndefined();
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "again" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: again" }]);
    await handle.stop();
  });

  it("ends a crash loop in failed after maxRestarts consecutive crashes", async () => {
    const handle = await startServer(tinyServer("crasher", "crash-after-init"), isolated(suite.images.node), {
      instanceId: instanceId("crash-loop"),
      restart: { ...FAST_RESTARTS, maxRestarts: 2 },
    });
    const { states, exits } = track(handle);
    await waitForState(handle, "failed");
    // The last crash waits (restarting) for the engine to be asked once more before giving up.
    expect(states).toEqual([
      "restarting",
      "starting",
      "ready",
      "restarting",
      "starting",
      "ready",
      "restarting",
      "failed",
    ]);
    expect(exits).toHaveLength(3);
    expect(handle.restarts).toBe(2);
    expect(handle.lastExit?.exitCode).toBe(1);
    expect((handle.lastError as LifecycleError).code).toBe("PROCESS_EXITED");
    expect(handle.client).toBeUndefined();
    // Only the last exited container is kept (each start removes the previous one); stop() removes it.
    const kept = await instanceContainers("crash-loop");
    expect(kept).toEqual([handle.keptContainer]);
    expect((await inspectContainer(kept[0] ?? ""))?.running).toBe(false);
    await handle.stop();
    expect(await instanceContainers("crash-loop")).toEqual([]);
  });

  it("restarts a host process that crashed on a tool call", async () => {
    const handle = await startServer(tinyHostServer("host-crasher", "serve"), notIsolated(), {
      instanceId: instanceId("host-crash"),
      restart: FAST_RESTARTS,
    });
    track(handle);
    const readyAgain = new Promise((resolve) => handle.once("ready", resolve));
    await expect(handle.client?.callTool({ name: "crash", arguments: {} })).rejects.toThrow();
    await readyAgain;
    expect(handle.lastExit?.exitCode).toBe(1);
    expect(handle.lastExit?.stderrTail).toContain("crashing on request");
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "back" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: back" }]);
    await handle.stop();
  });

  it("removes the container of a server that ignores SIGTERM and stdin EOF", async () => {
    const script = 'trap "" TERM; mcp-server-everything stdio; while true; do sleep 1; done';
    const handle = await startServer(
      serverConfig("stubborn", "sh", ["-c", script]),
      isolated(suite.images.everything),
      {
        instanceId: instanceId("stubborn"),
        stopGraceMs: 300,
      },
    );
    const { states } = track(handle);
    const containerId = handle.container?.id ?? "";
    const started = Date.now();
    await handle.stop();
    // EOF and SIGTERM were ignored: it took the `docker stop --time 1` kill.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(states).toEqual(["stopping", "stopped"]);
    expect(await inspectContainer(containerId)).toBeUndefined();
  });

  it("kills the whole process group of a host server that ignores SIGTERM", async () => {
    const script = `echo "pid $$" >&2; trap "" TERM; "${process.execPath}" "${EVERYTHING_ENTRY}" stdio; while true; do sleep 1; done`;
    const handle = await startServer(serverConfig("stubborn-host", "sh", ["-c", script]), notIsolated(), {
      instanceId: instanceId("stubborn-host"),
      stopGraceMs: 300,
    });
    track(handle);
    const pid = pidFromStderr(handle);
    expect(pid).toBeDefined();
    await handle.stop();
    await waitFor(() => !processExists(pid ?? 0) || undefined, "the shell to be gone");
  });

  it("restart() replaces the container and resolves when ready", async () => {
    const handle = await startServer(tinyServer("restartable", "serve"), isolated(suite.images.node), {
      instanceId: instanceId("manual-restart"),
      stopGraceMs: 500,
    });
    const { states } = track(handle);
    const first = handle.container?.id ?? "";
    await handle.restart();
    expect(states).toEqual(["stopping", "stopped", "starting", "ready"]);
    expect(handle.container?.id).not.toBe(first);
    expect(await inspectContainer(first)).toBeUndefined();
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "fresh" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: fresh" }]);
    await handle.stop();
  });

  it("keeps the session when the server prints non-JSON lines on stdout, reporting each", async () => {
    const garbage: string[] = [];
    const handle = await startServer(tinyServer("noisy", "garbage"), isolated(suite.images.node), {
      instanceId: instanceId("garbage"),
    });
    track(handle);
    handle.on("stdout-garbage", (line) => garbage.push(line));
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "still here" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: still here" }]);
    await waitFor(() => garbage.length >= 1 || undefined, "a garbage event");
    expect(garbage).toContain("log line on stdout before the result");
    await handle.stop();
  });

  it("stops the server (container removed) when the client is closed from outside", async () => {
    const handle = await startServer(tinyServer("closed", "serve"), isolated(suite.images.node), {
      instanceId: instanceId("client-close"),
      stopGraceMs: 500,
    });
    track(handle);
    const containerId = handle.container?.id ?? "";
    await handle.client?.close();
    await waitForState(handle, "stopped");
    await waitFor(async () => (await inspectContainer(containerId)) === undefined || undefined, "removal");
  });
});

describe("servers whose container ends while the engine is unreachable", () => {
  it("wait for the engine without counting a crash, come back when it answers, and are removed then", async () => {
    // The handle's docker options read this env at each CLI call: a dead socket
    // makes the engine unreachable for the handle only, not for the shared engine.
    const env: Record<string, string | undefined> = { DOCKER_HOST: process.env["DOCKER_HOST"] };
    const handle = await startServer(
      serverConfig("everything", "mcp-server-everything", ["stdio"]),
      isolated(suite.images.everything),
      {
        instanceId: instanceId("engine-away"),
        restart: { ...FAST_RESTARTS, maxRestarts: 0 },
        stopGraceMs: 500,
        docker: { env },
      },
    );
    const { exits } = track(handle);
    const first = handle.container?.id ?? "";
    env["DOCKER_HOST"] = "unix:///nonexistent/mcpproxy-dead.sock";
    const exited = new Promise((resolve) => handle.once("exit", resolve));
    await execa("docker", ["kill", first]);
    await exited;
    // Not a crash (maxRestarts is 0): the server waits for the engine.
    await waitFor(() => handle.engineUnreachable, "the handle to report the engine unreachable");
    expect(handle.state).toBe("restarting");
    expect(exits[0]?.reason).toMatch(/inspecting it failed/);
    // Its removal failed: the exited container is still there, not forgotten.
    expect((await inspectContainer(first))?.running).toBe(false);
    env["DOCKER_HOST"] = process.env["DOCKER_HOST"];
    // The engine answers again: the server comes back by itself, the leftover is removed first.
    await waitForState(handle, "ready");
    expect(handle.engineUnreachable).toBeUndefined();
    expect(handle.restarts).toBe(0);
    expect(await inspectContainer(first)).toBeUndefined();
    await handle.stop();
    expect(await instanceContainers("engine-away")).toEqual([]);
  });
});
