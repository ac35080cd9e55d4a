// The proxy's event bus: what GET /api/v1/events streams. Producers call
// emit(); each event gets an id "<boot>.<seq>" so a client reconnecting with
// Last-Event-ID gets exactly the events it missed (from a bounded history), or
// a fresh snapshot when the id is from another run or too old.
import { randomBytes } from "node:crypto";

/**
 * server          a server's view changed (state, tools, container, findings…); data = the server view
 * server-removed  a server left the config; data = { name }
 * restart         a server restarts (crash or request); data = { name, restarts, reason }
 * exit            a server's process/container ended; data = { name, exit_code, signal, oom_killed, reason }
 * pull            image pull progress; data = { name, image, layer?, status, current?, total? }
 * prepare         prepared-image build progress; data = { name, tag, phase, step?, totalSteps?, message }
 * finding         a new doctor finding on a server; data = { name, finding }
 * config-reload   the config file was applied or refused; data = the reload status
 * security        a server's trust or withheld tools changed (quarantine, approval, a changed tool); data = its review
 */
export type ProxyEventType =
  | "server"
  | "server-removed"
  | "restart"
  | "exit"
  | "pull"
  | "prepare"
  | "finding"
  | "config-reload"
  | "security";

export interface ProxyEvent {
  id: string;
  type: ProxyEventType;
  at: string;
  data: unknown;
}

export interface EventBus {
  emit(type: ProxyEventType, data: unknown): ProxyEvent;
  /** Listeners run synchronously in emit order. Returns an unsubscribe function. */
  subscribe(listener: (event: ProxyEvent) => void): () => void;
  /**
   * The events after `lastEventId`, oldest first; undefined when that id is
   * not from this run or already fell out of the history (send a snapshot).
   */
  since(lastEventId: string): ProxyEvent[] | undefined;
  /** The id of the newest event ("<boot>.0" before any). */
  readonly lastId: string;
  /** The sequence number of an id of this run, or undefined. */
  sequenceOf(id: string): number | undefined;
}

export const DEFAULT_EVENT_HISTORY = 2000;

export function createEventBus(options: { history?: number } = {}): EventBus {
  const capacity = options.history ?? DEFAULT_EVENT_HISTORY;
  const boot = randomBytes(4).toString("hex");
  const history: ProxyEvent[] = [];
  const listeners = new Set<(event: ProxyEvent) => void>();
  let seq = 0;

  function sequenceOf(id: string): number | undefined {
    const match = /^([0-9a-f]+)\.(\d+)$/.exec(id.trim());
    if (match?.[1] !== boot || match[2] === undefined) return undefined;
    const n = Number(match[2]);
    return n <= seq ? n : undefined;
  }

  return {
    emit(type, data) {
      seq++;
      const event: ProxyEvent = { id: `${boot}.${seq}`, type, at: new Date().toISOString(), data };
      history.push(event);
      if (history.length > capacity) history.shift();
      for (const listener of [...listeners]) listener(event);
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(lastEventId) {
      const n = sequenceOf(lastEventId);
      if (n === undefined) return undefined;
      if (n === seq) return [];
      const oldest = history[0] === undefined ? seq + 1 : (sequenceOf(history[0].id) ?? seq + 1);
      // Events n+1 … seq must all still be in the history.
      if (oldest > n + 1) return undefined;
      return history.slice(n + 1 - oldest);
    },
    get lastId() {
      return `${boot}.${seq}`;
    },
    sequenceOf,
  };
}
