// Hot reload: every change of the config file (a bare `touch` included) is
// loaded and applied as a diff. An invalid edit keeps the running config; its
// errors go to the main log and to GET /api/v1/status.
import {
  formatIssues,
  loadConfig,
  watchConfig,
  type ConfigChange,
  type ConfigResult,
  type McpProxyConfig,
} from "@mcpproxy/config";
import type { LogManager } from "@mcpproxy/diagnostics";
import { errorMessage, ProxyError } from "./errors.ts";
import { networkKeyProblem } from "./listen.ts";
import type { ReloadPlan } from "./reload-plan.ts";
import type { ManagedUpstreams } from "./upstreams.ts";

export interface ReloadStatus {
  /** Reloads applied since start. */
  applied: number;
  last_applied_at: string | null;
  /** The last reload that was refused (invalid file), until a valid one replaces it. */
  last_error: { at: string; errors: string[] } | null;
  /** Settings changed in the file that need a restart of mcpproxy to apply. */
  pending_restart: string[];
}

export interface ReloaderOptions {
  configPath: string;
  upstreams: ManagedUpstreams;
  logs: LogManager;
  /** The config in force (read by the HTTP and MCP sides on every request). */
  getConfig(): McpProxyConfig;
  setConfig(config: McpProxyConfig): void;
  /** The config the proxy started with: `listen`, `log_dir`, `data_dir` apply only at start. */
  bootConfig: McpProxyConfig;
  /** The host actually listened on (an edit may not drop api_key while it is not loopback). */
  listenHost: string;
  /** The listen address came from an override (flag), not the config. */
  listenOverridden: boolean;
  /** The log level came from an override (flag): config edits of log_level do not apply. */
  logLevelOverridden: boolean;
  /** Called after tools_mode changed, so clients re-list. */
  onToolsModeChanged(): void;
  debounceMs?: number;
}

export interface Reloader {
  /** Applies a loaded config (used by watch events, enable/disable). */
  apply(result: ConfigResult | ConfigChange, trigger: string): Promise<ReloadPlan | undefined>;
  /** Loads the file now and applies it. */
  reloadNow(trigger: string): Promise<ReloadPlan | undefined>;
  status(): ReloadStatus;
  close(): void;
}

const RESTART_SETTINGS = ["listen", "log_dir", "data_dir"] as const;

export function createReloader(options: ReloaderOptions): Reloader {
  const { logs, upstreams } = options;
  const state: ReloadStatus = { applied: 0, last_applied_at: null, last_error: null, pending_restart: [] };
  let closed = false;

  function refuse(errors: string[], trigger: string): undefined {
    state.last_error = { at: new Date().toISOString(), errors };
    logs.main.error(
      { config: options.configPath, trigger, errors },
      `config reload refused, keeping the running config: ${errors.join("; ")}`,
    );
    return undefined;
  }

  async function apply(
    result: ConfigResult | ConfigChange,
    trigger: string,
  ): Promise<ReloadPlan | undefined> {
    if (closed) return undefined;
    if (!result.ok) return refuse(formatIssues(result.errors), trigger);
    const next = result.config;
    const previous = options.getConfig();
    const keyProblem = networkKeyProblem(options.listenHost, next.api_key);
    if (keyProblem !== undefined) return refuse([`api_key: ${keyProblem}`], trigger);
    // Who may call is decided before any upstream work: a rotated key locks out the old one at once.
    options.setConfig({
      ...previous,
      api_key: next.api_key,
      allow_loopback_without_key: next.allow_loopback_without_key,
    });
    for (const warning of formatIssues(result.warnings))
      logs.main.warn({ config: options.configPath }, warning);
    let plan: ReloadPlan;
    try {
      plan = await upstreams.applyConfig(next);
    } catch (error) {
      if (error instanceof ProxyError && error.code === "SHUTTING_DOWN") return undefined;
      return refuse([`applying the config failed: ${errorMessage(error)}`], trigger);
    }
    options.setConfig(next);
    state.applied++;
    state.last_applied_at = new Date().toISOString();
    state.last_error = null;
    state.pending_restart = RESTART_SETTINGS.filter(
      (key) => next[key] !== options.bootConfig[key] && !(key === "listen" && options.listenOverridden),
    );
    if (plan.settings.includes("log_level") && !options.logLevelOverridden) logs.main.level = next.log_level;
    if (plan.settings.includes("tools_mode")) options.onToolsModeChanged();
    logs.main.info(
      {
        config: options.configPath,
        trigger,
        started: plan.start.map((s) => s.name),
        stopped: plan.stop,
        restarted: plan.restart.map((s) => s.name),
        unchanged: plan.keep,
        settings: plan.settings,
      },
      `config reloaded (${trigger}): ${plan.start.length} started, ${plan.stop.length} stopped, ` +
        `${plan.restart.length} restarted, ${plan.keep.length} unchanged`,
    );
    if (previous.tools_mode !== next.tools_mode) {
      logs.main.info({ tools_mode: next.tools_mode }, `tools_mode is now ${next.tools_mode}`);
    }
    for (const key of plan.settings.filter((k) => state.pending_restart.includes(k))) {
      logs.main.warn({ setting: key }, `config setting ${key} changed; restart mcpproxy to apply it`);
    }
    return plan;
  }

  let chain: Promise<unknown> = Promise.resolve();
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  }

  const watcher = watchConfig(options.configPath, {
    debounceMs: options.debounceMs,
    onChange: (change) => {
      enqueue(() => apply(change, "file change")).catch((error: unknown) => {
        logs.main.error({ err: errorMessage(error) }, "config reload failed");
      });
    },
    onError: (error) => logs.main.error({ err: error.message }, "watching the config file failed"),
  });

  return {
    apply: (result, trigger) => enqueue(() => apply(result, trigger)),
    reloadNow: (trigger) => enqueue(async () => apply(await loadConfig(options.configPath), trigger)),
    status: () => ({ ...state, pending_restart: [...state.pending_restart] }),
    close() {
      closed = true;
      watcher.close();
    },
  };
}
