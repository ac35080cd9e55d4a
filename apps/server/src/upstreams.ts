// The set of upstream servers: started through a lifecycle ServerManager,
// their tool lists fetched after initialize and refreshed on list_changed,
// their logs written through @mcpproxy/diagnostics, and the config applied
// (at boot and on every reload) as a diff.
import {
  resolveIsolation,
  resolvePrepare,
  type IsolationResolution,
  type McpProxyConfig,
  type ServerConfig,
} from "@mcpproxy/config";
import {
  formatLogLine,
  logIsolationDecision,
  logIsolationSetupSuccessful,
  logServerError,
  logServerStderr,
  maskArgv,
  type LogManager,
} from "@mcpproxy/diagnostics";
import type { Client, PullStatus, ServerHandle } from "@mcpproxy/lifecycle";
import type * as ProtocolTypes from "@modelcontextprotocol/sdk/types.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage, ProxyError } from "./errors.ts";
import { planReload, type ReloadPlan } from "./reload-plan.ts";
import type { UpstreamTool } from "./tool-index.ts";
import { onFirstUse } from "./on-first-use.ts";
import type * as UpstreamCalls from "./upstream-calls.ts";
import { describePull, describeUnavailable } from "./upstream-diagnosis.ts";
import type { UpstreamEntry, UpstreamRegistry } from "./upstream-types.ts";

// What only a started server needs (the SDK's zod schemas of the protocol, the call routing) is
// loaded when the first server starts, not at boot: `mcpproxy serve` with nothing to start is ready sooner.
const upstreamCalls = onFirstUse(() => import("./upstream-calls.ts"));
const protocolTypes = onFirstUse(() => import("@modelcontextprotocol/sdk/types.js"));

/** What the registry needs of @mcpproxy/lifecycle's ServerManager. */
export interface ServerManagerLike {
  /** `prepare`: the server's resolved `prepare` setting (see prepare/prepare-manager.ts). */
  add(server: ServerConfig, isolation: IsolationResolution, options?: { prepare?: boolean }): ServerHandle;
  remove(name: string): Promise<void>;
  stopAll(): Promise<void>;
  /**
   * Resolves once add() may be called (a manager loaded on first use, see lazy-manager.ts);
   * `isolated`: one of the servers about to start runs in a container.
   */
  whenReady?(isolated: boolean): Promise<void>;
}

export interface UpstreamRegistryOptions {
  manager: ServerManagerLike;
  logs: LogManager;
  /** Timeout of each tools/list request. Default 30 s. */
  listTimeoutMs?: number;
  /** Quiet time before tools-changed listeners run, so a burst of changes is one notification. Default 50 ms. */
  notifyDebounceMs?: number;
}

export interface ManagedUpstreams extends UpstreamRegistry {
  /** Applies a config: the first call starts every enabled server, later calls apply the diff. */
  applyConfig(config: McpProxyConfig): Promise<ReloadPlan>;
  /** Stops every server and removes every container; no server starts after this. */
  stopAll(): Promise<void>;
}

interface Slot {
  name: string;
  config: ServerConfig;
  isolation: IsolationResolution;
  handle: ServerHandle | undefined;
  tools: Tool[];
  /** tools/list answered since the last (re)start: an empty list then means "no tools", not "not yet". */
  toolsListed: boolean;
  listSeq: number;
  loggedArgv: string | undefined;
  loggedContainer: string | undefined;
  loggedError: Error | undefined;
  /** Restarts asked for through the API and not settled: stopping/stopped/starting then count as "restarting". */
  manualRestart: number;
  detach: () => void;
}

const MAX_TOOLS_PER_SERVER = 10_000;
/** tools/list pages per listing: a server whose cursor never ends is cut off here. */
export const MAX_TOOL_PAGES = 100;
/** While an image is pulled, one progress line per server this often. */
const PULL_LOG_INTERVAL_MS = 5_000;

export function createUpstreamRegistry(options: UpstreamRegistryOptions): ManagedUpstreams {
  const { manager, logs } = options;
  const listTimeoutMs = options.listTimeoutMs ?? 30_000;
  let slots = new Map<string, Slot>();
  let current: McpProxyConfig | undefined;
  let stopped = false;
  const listeners = new Set<() => void>();
  let lastSignature = "";
  let notifyTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  function stateOf(slot: Slot): UpstreamEntry["state"] {
    const state = slot.handle?.state;
    if (state === undefined) return "disabled";
    if (slot.manualRestart > 0 && (state === "stopping" || state === "stopped" || state === "starting")) {
      return "restarting";
    }
    return state;
  }

  function entryOf(slot: Slot): UpstreamEntry {
    return {
      name: slot.name,
      config: slot.config,
      isolation: slot.isolation,
      state: stateOf(slot),
      handle: slot.handle,
      tools: slot.tools,
      toolsListed: slot.toolsListed,
    };
  }

  function allTools(): UpstreamTool[] {
    const out: UpstreamTool[] = [];
    for (const slot of [...slots.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      for (const tool of [...slot.tools].sort((a, b) => a.name.localeCompare(b.name))) {
        out.push({ server: slot.name, tool });
      }
    }
    return out;
  }

  function notifyToolsChanged(): void {
    const signature = JSON.stringify(allTools());
    if (signature === lastSignature) return;
    lastSignature = signature;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        logs.main.error({ err: error }, "tools-changed listener failed");
      }
    }
  }

  /** `now`: a server's first listing since it started, which a waiting client should see at once. */
  function scheduleToolsChanged(now = false): void {
    clearTimeout(notifyTimer);
    if (now) notifyToolsChanged();
    else notifyTimer = setTimeout(notifyToolsChanged, options.notifyDebounceMs ?? 50);
  }

  async function refreshTools(slot: Slot, client: Client): Promise<void> {
    const seq = ++slot.listSeq;
    try {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      let pages = 0;
      const seen = new Set<string>();
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor }, {
          timeout: listTimeoutMs,
        });
        pages += 1;
        tools.push(...page.tools);
        cursor = page.nextCursor;
        if (cursor !== undefined && (seen.has(cursor) || pages >= MAX_TOOL_PAGES)) {
          // A cursor seen before or no end in sight: keep what was listed instead of looping forever.
          logs.main.warn(
            { server: slot.name, pages, tool_count: tools.length },
            `tools/list of server ${slot.name} did not end after ${pages} pages; keeping the ${tools.length} tools listed so far`,
          );
          break;
        }
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor !== undefined && tools.length < MAX_TOOLS_PER_SERVER);
      if (seq !== slot.listSeq || slot.handle?.client !== client || slots.get(slot.name) !== slot) return;
      // A page repeated by a broken cursor lists the same tools again: one entry per name.
      const firstListing = !slot.toolsListed;
      slot.tools = [...new Map(tools.map((tool) => [tool.name, tool])).values()];
      slot.toolsListed = true;
      logs
        .server(slot.name)
        .info({ server: slot.name, tool_count: tools.length }, `tools listed for server: ${slot.name}`);
      scheduleToolsChanged(firstListing);
    } catch (error) {
      if (seq !== slot.listSeq || slots.get(slot.name) !== slot) return;
      const fields = { server: slot.name, err: errorMessage(error) };
      logs.main.warn(fields, `listing the tools of server ${slot.name} failed`);
      logs.server(slot.name).warn(fields, "tools/list failed");
    }
  }

  /** The docker_run_args line of the guide, written once per distinct argv, with the real container name. */
  function logDockerArgs(slot: Slot, handle: ServerHandle): void {
    const argv = handle.dockerArgv;
    if (argv === undefined) return;
    const key = argv.join("\0");
    if (slot.loggedArgv === key) return;
    slot.loggedArgv = key;
    const masked = maskArgv(argv, Object.values(slot.config.env));
    for (const log of [logs.main, logs.server(slot.name)]) {
      log.info({ server: slot.name, docker_run_args: masked }, `docker_run_args for server: ${slot.name}`);
    }
  }

  function attach(slot: Slot, handle: ServerHandle): () => void {
    const name = slot.name;
    const onStderr = (line: string) => logServerStderr(logs, name, line);
    const onState = (state: string, previous: string) => {
      const fields = { server: name, state, previous };
      logs.main.info(fields, `server ${name}: ${previous} -> ${state}`);
      logs.server(name).info(fields, `state: ${previous} -> ${state}`);
      if (slot.isolation.enabled && state !== "starting") logDockerArgs(slot, handle);
      const error = handle.lastError;
      if ((state === "failed" || state === "restarting") && error && error !== slot.loggedError) {
        slot.loggedError = error;
        logServerError(logs, name, error);
      }
      // A restart asked for keeps the last tool list until the server is back.
      if (state === "failed" || (state === "stopped" && slot.manualRestart === 0)) {
        slot.listSeq++;
        slot.toolsListed = false;
        if (slot.tools.length > 0) {
          slot.tools = [];
          scheduleToolsChanged();
        }
      }
    };
    const onReady = (client: Client) => {
      if (slot.isolation.enabled) {
        logDockerArgs(slot, handle);
        const container = handle.container;
        if (container && slot.loggedContainer !== container.id) {
          slot.loggedContainer = container.id;
          logIsolationSetupSuccessful(logs, name, container);
        }
      }
      const listen = (types: typeof ProtocolTypes) => {
        // Set before the first listing: a change after it is announced, one before it is in the listing.
        client.setNotificationHandler(types.ToolListChangedNotificationSchema, () =>
          refreshTools(slot, client),
        );
        void refreshTools(slot, client);
      };
      if (protocolTypes.value !== undefined) listen(protocolTypes.value);
      else void protocolTypes.get().then(listen);
    };
    const onExit = (info: { reason: string; exitCode: number | null; oomKilled?: boolean | undefined }) => {
      const fields = { server: name, exit_code: info.exitCode, oom_killed: info.oomKilled ?? false };
      logs.main.warn(fields, `server ${name} exited: ${info.reason}`);
      logs.server(name).warn(fields, `exited: ${info.reason}`);
    };
    let lastPullLog = 0;
    const onPull = (pull: PullStatus) => {
      const now = Date.now();
      if (now - lastPullLog < PULL_LOG_INTERVAL_MS) return;
      lastPullLog = now;
      const fields = {
        server: name,
        image: pull.image,
        layers: pull.layers,
        layers_done: pull.layersDone,
        bytes_done: pull.bytesDone,
        bytes_total: pull.bytesTotal,
      };
      const text = `pulling image ${pull.image}: ${describePull(pull)}`;
      logs.main.info(fields, `server ${name}: ${text}`);
      logs.server(name).info(fields, text);
    };
    handle
      .on("stderr", onStderr)
      .on("state", onState)
      .on("ready", onReady)
      .on("exit", onExit)
      .on("pull", onPull);
    return () => {
      handle
        .off("stderr", onStderr)
        .off("state", onState)
        .off("ready", onReady)
        .off("exit", onExit)
        .off("pull", onPull);
    };
  }

  function newSlot(config: McpProxyConfig, server: ServerConfig): Slot {
    const isolation = resolveIsolation(config, server);
    const slot: Slot = {
      name: server.name,
      config: server,
      isolation,
      handle: undefined,
      tools: [],
      toolsListed: false,
      listSeq: 0,
      loggedArgv: undefined,
      loggedContainer: undefined,
      loggedError: undefined,
      manualRestart: 0,
      detach: () => undefined,
    };
    if (!server.enabled || stopped) return slot;
    logIsolationDecision(logs, server, isolation);
    void upstreamCalls.get();
    void protocolTypes.get();
    const handle = manager.add(server, isolation, { prepare: resolvePrepare(config, server) });
    slot.handle = handle;
    slot.detach = attach(slot, handle);
    return slot;
  }

  async function stopSlot(slot: Slot | undefined): Promise<void> {
    if (!slot?.handle) return;
    slot.listSeq++;
    slot.tools = [];
    slot.toolsListed = false;
    try {
      await manager.remove(slot.name);
    } finally {
      slot.detach();
    }
  }

  function applyNow(next: McpProxyConfig): Promise<ReloadPlan> {
    return serial(async () => {
      if (stopped) throw new ProxyError("SHUTTING_DOWN", "the proxy is stopping; no server starts now");
      const plan: ReloadPlan = current
        ? planReload(current, next)
        : { start: next.mcpServers.filter((s) => s.enabled), stop: [], restart: [], keep: [], settings: [] };
      current = next;
      const leaving = [...plan.stop, ...plan.restart.map((s) => s.name)];
      await Promise.all(leaving.map((name) => stopSlot(slots.get(name))));
      const kept = new Set(plan.keep);
      const starting = next.mcpServers.filter((s) => s.enabled && !(slots.has(s.name) && kept.has(s.name)));
      if (starting.length > 0) {
        await manager.whenReady?.(starting.some((s) => resolveIsolation(next, s).enabled));
      }
      const nextSlots = new Map<string, Slot>();
      const retries: Promise<void>[] = [];
      for (const server of next.mcpServers) {
        const existing = slots.get(server.name);
        if (existing && kept.has(server.name)) {
          existing.config = server;
          existing.isolation = resolveIsolation(next, server);
          nextSlots.set(server.name, existing);
          // Any config event (a bare `touch` too) retries what failed: the fix may lie outside the file.
          const state = existing.handle?.state;
          if (existing.handle && (state === "failed" || state === "restarting")) {
            logs.main.info(
              { server: server.name, state },
              `config reloaded: retrying server ${server.name} (${state})`,
            );
            retries.push(existing.handle.retry());
          }
        } else {
          nextSlots.set(server.name, newSlot(next, server));
        }
      }
      slots = nextSlots;
      await Promise.all(retries);
      scheduleToolsChanged();
      return plan;
    });
  }

  const registry: ManagedUpstreams = {
    list: () => [...slots.values()].map(entryOf),
    get(name) {
      const slot = slots.get(name);
      return slot ? entryOf(slot) : undefined;
    },
    tools: allTools,
    onToolsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    callTool(server, tool, args, callOptions) {
      const call = (calls: typeof UpstreamCalls) =>
        calls.callUpstream(() => registry.get(server), server, tool, args, callOptions);
      return upstreamCalls.value !== undefined ? call(upstreamCalls.value) : upstreamCalls.get().then(call);
    },
    async restart(name) {
      const entry = registry.get(name);
      if (!entry)
        throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`, { server: name });
      if (!entry.handle) {
        throw new ProxyError("SERVER_DISABLED", describeUnavailable(entry), { server: name });
      }
      if (stopped) throw new ProxyError("SHUTTING_DOWN", "the proxy is stopping; no server starts now");
      logs.main.info({ server: name }, `restart requested for server: ${name}`);
      const slot = slots.get(name);
      if (slot) slot.manualRestart += 1;
      try {
        await entry.handle.restart();
      } catch (error) {
        if (slot) slot.toolsListed = false;
        if (slot?.tools.length) {
          slot.tools = [];
          scheduleToolsChanged();
        }
        const latest = registry.get(name) ?? entry;
        throw new ProxyError(
          "RESTART_FAILED",
          `restart of "${name}" failed: ${describeUnavailable(latest)}`,
          {
            server: name,
            cause: error,
          },
        );
      } finally {
        if (slot) slot.manualRestart -= 1;
      }
    },
    async logs(name, tail) {
      const lines = (await logs.readServerLog(name, { tail })).map(formatLogLine);
      if (lines.length > 0) return lines;
      return slots.get(name)?.handle?.recentStderr(tail) ?? [];
    },
    describeUnavailable(name) {
      const entry = registry.get(name);
      return entry ? describeUnavailable(entry) : `no upstream server named "${name}"`;
    },
    applyConfig: applyNow,
    stopAll() {
      stopped = true;
      return serial(async () => {
        clearTimeout(notifyTimer);
        for (const slot of slots.values()) {
          slot.listSeq++;
          slot.tools = [];
        }
        try {
          await manager.stopAll();
        } finally {
          for (const slot of slots.values()) slot.detach();
        }
      });
    },
  };
  return registry;
}
