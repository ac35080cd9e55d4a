// Feeds the event bus from the running upstreams: each server handle's own
// events (state, exit, image pull progress) as they happen, and a comparison of
// every server's view (so enable/disable, tool lists, findings and removals are
// seen too, whoever caused them), plus config reloads from the reloader status.
import type { ExitInfo, PullProgress, ServerHandle } from "@mcpproxy/lifecycle";
import type { EventBus } from "./events.ts";
import { onPrepareProgress } from "./prepare/prepare-view.ts";
import type { ReloadStatus } from "./reload.ts";
import { serverView, type ServerView } from "./server-view.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";

export interface UpstreamEventsOptions {
  bus: EventBus;
  registry: UpstreamRegistry;
  reloadStatus(): ReloadStatus | null;
  /** How often every view is compared, besides the handles' own events. Default 1 s. */
  intervalMs?: number;
}

export interface UpstreamEvents {
  /** Compares now (e.g. right after an action) instead of at the next tick. */
  check(): void;
  close(): void;
}

interface Seen {
  json: string;
  view: ServerView;
}

export function watchUpstreamEvents(options: UpstreamEventsOptions): UpstreamEvents {
  const { bus, registry } = options;
  const seen = new Map<string, Seen>();
  const attached = new Map<ServerHandle, () => void>();
  let lastReload = "";
  let scheduled = false;

  function attach(name: string, handle: ServerHandle): void {
    if (attached.has(handle)) return;
    const onState = () => schedule();
    const onExit = (info: ExitInfo) => {
      bus.emit("exit", {
        name,
        at: info.at.toISOString(),
        exit_code: info.exitCode,
        signal: info.signal ?? null,
        oom_killed: info.oomKilled ?? false,
        reason: info.reason,
      });
      schedule();
    };
    const onPull = (progress: PullProgress) => bus.emit("pull", { name, ...progress });
    handle.on("state", onState).on("exit", onExit).on("pull", onPull);
    const offPrepare = onPrepareProgress(handle, (progress) => {
      bus.emit("prepare", { name, ...progress });
      schedule();
    });
    attached.set(handle, () => {
      handle.off("state", onState).off("exit", onExit).off("pull", onPull);
      offPrepare();
    });
  }

  function compareServer(view: ServerView): void {
    const json = JSON.stringify(view);
    const before = seen.get(view.name);
    if (before?.json === json) return;
    seen.set(view.name, { json, view });
    if (before && view.restarts > before.view.restarts) {
      const reason = view.last_exit?.reason ?? view.last_error?.message ?? "restarted";
      bus.emit("restart", { name: view.name, restarts: view.restarts, reason });
    }
    bus.emit("server", view);
    const known = new Set(before?.view.findings.map((f) => f.code));
    for (const finding of view.findings) {
      if (!known.has(finding.code)) bus.emit("finding", { name: view.name, finding });
    }
  }

  function check(): void {
    scheduled = false;
    const live = new Set<ServerHandle>();
    const names = new Set<string>();
    for (const entry of registry.list()) {
      names.add(entry.name);
      if (entry.handle) {
        live.add(entry.handle);
        attach(entry.name, entry.handle);
      }
      compareServer(serverView(entry));
    }
    for (const name of [...seen.keys()]) {
      if (!names.has(name)) {
        seen.delete(name);
        bus.emit("server-removed", { name });
      }
    }
    for (const [handle, detach] of attached) {
      if (!live.has(handle)) {
        detach();
        attached.delete(handle);
      }
    }
    const reload = options.reloadStatus();
    if (reload) {
      const key = `${reload.applied}|${reload.last_error?.at ?? ""}`;
      if (lastReload !== "" && key !== lastReload) bus.emit("config-reload", reload);
      lastReload = key;
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(check);
  }

  const unsubscribeTools = registry.onToolsChanged(schedule);
  const timer = setInterval(check, options.intervalMs ?? 1000);
  timer.unref();
  check();

  return {
    check,
    close() {
      clearInterval(timer);
      unsubscribeTools();
      for (const detach of attached.values()) detach();
      attached.clear();
    },
  };
}
