// The `stats` events of GET /api/v1/events?stats=true: each server's latest
// resource sample (memory and CPU against the limits), sent once a second
// when it changed — a new sample, or none any more (stopped, failed). They
// stay out of the event bus: samples of every server each second would push
// the state changes a reconnecting client needs out of the bounded history.
import type { ResourcesView } from "../resource-use.ts";
import type { RestContext } from "../rest-api.ts";

export const STATS_INTERVAL_MS = 1_000;

export interface StatsChange {
  name: string;
  /** null: no sample (not running in a container, or not yet sampled). */
  resources: ResourcesView | null;
}

export interface StatsTracker {
  /** Records what the client already has (the snapshot's views). */
  seen(views: readonly { name: string; resources: ResourcesView | null }[]): void;
  /** The changes since the last call, when a tick is due and something changed; else undefined. */
  due(): StatsChange[] | undefined;
}

export function createStatsTracker(
  ctx: Pick<RestContext, "registry" | "serverStats">,
  now: () => number = Date.now,
): StatsTracker {
  /** Per server: the `at` of the sample the client has ("" for none). */
  const sent = new Map<string, string>();
  let next = now() + STATS_INTERVAL_MS;
  return {
    seen(views) {
      for (const view of views) sent.set(view.name, view.resources?.at ?? "");
    },
    due() {
      if (now() < next) return undefined;
      next = now() + STATS_INTERVAL_MS;
      const changes: StatsChange[] = [];
      const names = new Set<string>();
      for (const entry of ctx.registry.list()) {
        names.add(entry.name);
        const resources = ctx.serverStats(entry.name).stats;
        const at = resources?.at ?? "";
        if (sent.get(entry.name) === at) continue;
        sent.set(entry.name, at);
        changes.push({ name: entry.name, resources });
      }
      for (const name of [...sent.keys()]) if (!names.has(name)) sent.delete(name);
      return changes.length === 0 ? undefined : changes;
    },
  };
}
