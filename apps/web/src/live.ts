// Live proxy state from GET /api/v1/events. The browser's EventSource resends
// Last-Event-ID by itself when the stream drops, so a short outage costs no
// event; when the proxy refuses the stream (restarted, logged out) a new one
// starts from a fresh snapshot. Resource samples come as `stats` events (asked
// for with ?stats=true): kept apart from the views, which the `server` events
// replace without them.
import { useEffect, useState } from "preact/hooks";
import type { Resources, ServerView } from "./api.ts";

export type Connection = "connecting" | "live" | "reconnecting";

export interface PullState {
  image: string;
  status: string;
  layers: Record<string, { current?: number; total?: number; status: string }>;
}

export interface LiveState {
  connection: Connection;
  /** Config order. */
  servers: ServerView[];
  /** The latest resource sample per server; null when there is none. */
  stats: Record<string, Resources | null>;
  status: Record<string, unknown> | null;
  pulls: Record<string, PullState>;
}

const RETRY_MS = 2000;

function upsert(servers: ServerView[], view: ServerView): ServerView[] {
  const index = servers.findIndex((s) => s.name === view.name);
  if (index < 0) return [...servers, view];
  const next = [...servers];
  next[index] = view;
  return next;
}

export function useLive(enabled: boolean, onUnauthorized: () => void): LiveState {
  const [state, setState] = useState<LiveState>({
    connection: "connecting",
    servers: [],
    stats: {},
    status: null,
    pulls: {},
  });

  useEffect(() => {
    if (!enabled) return undefined;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const on = <T>(type: string, apply: (data: T, s: LiveState) => LiveState) => {
      source?.addEventListener(type, (event: MessageEvent<string>) => {
        const data = JSON.parse(event.data) as T;
        setState((s) => apply(data, { ...s, connection: "live" }));
      });
    };

    const connect = () => {
      source = new EventSource("/api/v1/events?stats=true");
      on<{ servers: ServerView[]; status: Record<string, unknown> }>("snapshot", (d, s) => ({
        ...s,
        servers: d.servers,
        stats: Object.fromEntries(d.servers.map((v) => [v.name, v.resources])),
        status: d.status,
      }));
      on<ServerView>("server", (d, s) => ({ ...s, servers: upsert(s.servers, d) }));
      on<{ name: string }>("server-removed", (d, s) => {
        const { [d.name]: _removed, ...stats } = s.stats;
        return { ...s, servers: s.servers.filter((v) => v.name !== d.name), stats };
      });
      on<{ servers: { name: string; resources: Resources | null }[] }>("stats", (d, s) => ({
        ...s,
        stats: { ...s.stats, ...Object.fromEntries(d.servers.map((c) => [c.name, c.resources])) },
      }));
      on<Record<string, unknown>>("config-reload", (d, s) => ({
        ...s,
        status: s.status === null ? null : { ...s.status, reload: d },
      }));
      on<{ name: string; image: string; status: string; layer?: string; current?: number; total?: number }>(
        "pull",
        (d, s) => {
          const before = s.pulls[d.name];
          const layers = { ...(before?.image === d.image ? before.layers : {}) };
          if (d.layer !== undefined)
            layers[d.layer] = { current: d.current, total: d.total, status: d.status };
          return { ...s, pulls: { ...s.pulls, [d.name]: { image: d.image, status: d.status, layers } } };
        },
      );
      source.onopen = () => setState((s) => ({ ...s, connection: "live" }));
      source.onerror = () => {
        setState((s) => ({ ...s, connection: "reconnecting" }));
        if (source?.readyState !== EventSource.CLOSED) return;
        // Refused (not a network drop): find out whether the session is gone, then start over.
        source = undefined;
        void fetch("/api/v1/session", { credentials: "same-origin" })
          .then((r) => r.json() as Promise<{ authenticated?: boolean }>)
          .then((session) => {
            if (session.authenticated === false) onUnauthorized();
          })
          .catch(() => undefined);
        if (!stopped) retry = setTimeout(connect, RETRY_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [enabled]);

  return state;
}
