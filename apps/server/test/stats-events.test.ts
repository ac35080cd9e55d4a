// The `stats` events' tracker (rest/stats-events.ts): at most one batch a
// second, only the servers whose sample changed (a new one, or none any more),
// nothing the client already has from its snapshot.
import { describe, expect, it } from "vitest";
import type { ResourcesView } from "../src/resource-use.ts";
import { createStatsTracker, STATS_INTERVAL_MS } from "../src/rest/stats-events.ts";
import type { UpstreamEntry, UpstreamRegistry } from "../src/upstream-types.ts";

function sample(at: string, usedBytes: number): ResourcesView {
  return {
    at,
    memory: { used_bytes: usedBytes, limit_bytes: 64 * 1024 * 1024, percent: 1 },
    cpu: { percent: 0, limit_cpus: null, percent_of_limit: null },
    pids: { current: 1, limit: null },
    network: { rx_bytes: 0, tx_bytes: 0 },
    block_io: { read_bytes: 0, write_bytes: 0 },
    oom_kills: 0,
  };
}

function fixture() {
  const samples = new Map<string, ResourcesView | null>();
  let clock = 0;
  const registry = {
    list: () => [...samples.keys()].map((name) => ({ name }) as UpstreamEntry),
  } as unknown as UpstreamRegistry;
  const tracker = createStatsTracker(
    {
      registry,
      serverStats: (name) => ({ name, state: "ready", stats: samples.get(name) ?? null, detail: "" }),
    },
    () => clock,
  );
  return { samples, tracker, tick: () => (clock += STATS_INTERVAL_MS) };
}

describe("createStatsTracker", () => {
  it("sends what changed since the snapshot, once a second", () => {
    const { samples, tracker, tick } = fixture();
    const a1 = sample("t1", 10);
    samples.set("a", a1);
    samples.set("b", null);
    tracker.seen([
      { name: "a", resources: a1 },
      { name: "b", resources: null },
    ]);
    expect(tracker.due()).toBeUndefined();
    tick();
    expect(tracker.due()).toBeUndefined();
    const a2 = sample("t2", 20);
    samples.set("a", a2);
    expect(tracker.due()).toBeUndefined();
    tick();
    expect(tracker.due()).toEqual([{ name: "a", resources: a2 }]);
    samples.set("a", null);
    samples.set("c", sample("t3", 5));
    tick();
    expect(tracker.due()).toEqual([
      { name: "a", resources: null },
      { name: "c", resources: sample("t3", 5) },
    ]);
    tick();
    expect(tracker.due()).toBeUndefined();
  });
});
