// GET /api/v1/events: Server-Sent Events. A new client gets a `snapshot` (every
// server view and the status) whose id is the newest event's; a client that
// reconnects with Last-Event-ID gets exactly the events it missed, or a new
// snapshot when they are no longer in the history. Comments keep idle
// connections open through proxies. With ?stats=true the stream also carries
// `stats` events (see stats-events.ts).
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { ProxyEvent } from "../events.ts";
import type { RestContext, RestEnv } from "../rest-api.ts";
import { createStatsTracker, STATS_INTERVAL_MS } from "./stats-events.ts";

export const KEEPALIVE_MS = 15_000;
/** A client this far behind is dropped; it reconnects with Last-Event-ID. */
export const MAX_QUEUED_EVENTS = 5_000;
const RETRY_MS = 2_000;

export function eventStream(c: Context<RestEnv>, ctx: RestContext, withStats: boolean): Response {
  const lastEventId = c.req.header("last-event-id");
  c.header("cache-control", "no-store");
  c.header("x-accel-buffering", "no");
  return streamSSE(c, async (stream) => {
    const queue: ProxyEvent[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    // Subscribe before the snapshot, so nothing falls between the two.
    const unsubscribe = ctx.events.subscribe((event) => {
      queue.push(event);
      wake?.();
    });
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    const stats = withStats ? createStatsTracker(ctx) : undefined;
    const seqOf = (id: string | undefined): number => ctx.events.sequenceOf(id ?? "") ?? 0;
    let lastWrite = Date.now();
    const send = (message: { id?: string; event: string; data: string; retry?: number }): Promise<void> => {
      lastWrite = Date.now();
      return stream.writeSSE(message);
    };
    const write = (event: ProxyEvent): Promise<void> =>
      send({
        id: event.id,
        event: event.type,
        data: JSON.stringify({ at: event.at, ...(event.data as object) }),
      });
    try {
      const missed = lastEventId === undefined ? undefined : ctx.events.since(lastEventId);
      /** Queued events up to this sequence number were already sent (or are in the snapshot). */
      let after: number;
      if (missed === undefined) {
        const snapshotId = ctx.events.lastId;
        after = seqOf(snapshotId);
        const servers = await Promise.all(ctx.registry.list().map((e) => ctx.serverView(e.name)));
        // The snapshot's views carry the latest samples: later `stats` events are the changes.
        stats?.seen(servers);
        await send({
          id: snapshotId,
          event: "snapshot",
          retry: RETRY_MS,
          data: JSON.stringify({ servers, status: ctx.status() }),
        });
      } else {
        after = seqOf(lastEventId);
        for (const event of missed) {
          await write(event);
          after = seqOf(event.id);
        }
      }
      while (!closed) {
        const changed = stats?.due();
        // No id: samples are not in the history, and a reconnect resumes after the last real event.
        if (changed !== undefined) await send({ event: "stats", data: JSON.stringify({ servers: changed }) });
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, stats === undefined ? KEEPALIVE_MS : STATS_INTERVAL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (queue.length === 0 && !closed && Date.now() - lastWrite >= KEEPALIVE_MS) {
            lastWrite = Date.now();
            await stream.write(": keepalive\n\n");
          }
          continue;
        }
        if (queue.length > MAX_QUEUED_EVENTS) break;
        const event = queue.shift();
        if (event && seqOf(event.id) > after) await write(event);
      }
    } finally {
      unsubscribe();
    }
  });
}
