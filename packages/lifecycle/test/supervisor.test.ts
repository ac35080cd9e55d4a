// What follows a crash, without Docker: backoff restarts within the budget,
// giving up after it (unless the engine is away), refunds of the crashes an
// outage caused, the budget reset after a stable run, and cancellation.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LifecycleError } from "../src/errors.ts";
import type { EngineProbe } from "../src/launch-api.ts";
import { RestartSupervisor, type SupervisedServer } from "../src/supervisor.ts";
import type { ServerState } from "../src/types.ts";

const POLICY = { maxRestarts: 2, initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 5_000 };

interface Fake {
  server: SupervisedServer;
  states: ServerState[];
  relaunches: number[];
  probes: EngineProbe[];
  current: { generation: number };
}

function fakeServer(): Fake {
  const fake: Fake = {
    states: [],
    relaunches: [],
    probes: [],
    current: { generation: 1 },
    server: undefined as unknown as SupervisedServer,
  };
  fake.server = {
    name: "s1",
    logger: undefined,
    isCurrent: (generation) => generation === fake.current.generation,
    setState: (state) => fake.states.push(state),
    relaunch: (generation) => fake.relaunches.push(generation),
    probe: () => Promise.resolve(fake.probes.shift() ?? { reachable: true }),
  };
  return fake;
}

const outage = new LifecycleError("ENGINE_UNREACHABLE", "cannot reach the Docker engine", {
  phase: "engine",
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("RestartSupervisor", () => {
  it("restarts after an exponential backoff, then gives up once the budget is spent and the engine answers", async () => {
    const fake = fakeServer();
    const supervisor = new RestartSupervisor(fake.server, POLICY);
    supervisor.crashed(1);
    expect(fake.states).toEqual(["restarting"]);
    await vi.advanceTimersByTimeAsync(99);
    expect(fake.relaunches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.relaunches).toEqual([1]);
    supervisor.crashed(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.relaunches).toEqual([1, 1]);
    expect(supervisor.restarts).toBe(2);
    supervisor.crashed(1); // the third crash in a row: over maxRestarts
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.relaunches).toEqual([1, 1]);
    expect(fake.states.at(-1)).toBe("failed");
  });

  it("waits for an engine found away instead of giving up, and refunds the crashes the outage caused", async () => {
    const fake = fakeServer();
    const supervisor = new RestartSupervisor(fake.server, POLICY);
    supervisor.crashed(1);
    await vi.advanceTimersByTimeAsync(100);
    supervisor.crashed(1);
    await vi.advanceTimersByTimeAsync(200);
    fake.probes.push({ reachable: false, error: "engine away" }, { reachable: false }, { reachable: true });
    supervisor.crashed(1);
    await vi.advanceTimersByTimeAsync(1_000); // gives up only if the engine answers: it does not
    expect(fake.states.at(-1)).toBe("restarting");
    expect(supervisor.engineUnreachable).toBe("engine away");
    expect(supervisor.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000 + 2_000);
    expect(fake.relaunches).toEqual([1, 1, 1]);
    expect(supervisor.engineUnreachable).toBeUndefined();
  });

  it("starts again when the engine answers after an outage", async () => {
    const fake = fakeServer();
    const supervisor = new RestartSupervisor(fake.server, POLICY);
    fake.probes.push({ reachable: false });
    supervisor.engineAway(1, outage);
    expect(supervisor.engineUnreachable).toBe("cannot reach the Docker engine");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.relaunches).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.relaunches).toEqual([1]);
  });

  it("resets the budget after a stable run, but not when the server ended before", async () => {
    const fake = fakeServer();
    const supervisor = new RestartSupervisor(fake.server, POLICY);
    supervisor.crashed(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(supervisor.restarts).toBe(1);
    supervisor.started();
    await vi.advanceTimersByTimeAsync(4_000);
    supervisor.ended();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(supervisor.restarts).toBe(1);
    supervisor.started();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(supervisor.restarts).toBe(0);
  });

  it("restarts nothing after cancel() or for a generation that is no longer current", async () => {
    const fake = fakeServer();
    const supervisor = new RestartSupervisor(fake.server, POLICY);
    supervisor.crashed(1);
    supervisor.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    supervisor.crashed(1);
    fake.current.generation = 2;
    await vi.advanceTimersByTimeAsync(1_000);
    supervisor.engineAway(1, outage);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.relaunches).toEqual([]);
  });
});
