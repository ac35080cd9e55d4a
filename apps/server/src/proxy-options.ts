// What startProxy is given and gives back, and how it reads the config it starts with.
import {
  ensureConfigFile,
  formatIssues,
  loadConfig,
  parseDuration,
  type LogLevel,
  type McpProxyConfig,
} from "@mcpproxy/config";
import type { RestartPolicy } from "@mcpproxy/lifecycle";
import { ProxyError } from "./errors.ts";

export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** Environment variable with the per-call timeout as a duration ("30s", "2m"), used when `callTimeoutMs` is unset. */
export const CALL_TIMEOUT_ENV = "MCPPROXY_CALL_TIMEOUT";

/** The per-call timeout: the option, else MCPPROXY_CALL_TIMEOUT, else 120 s. */
export function resolveCallTimeoutMs(
  option: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (option !== undefined) return option;
  const text = env[CALL_TIMEOUT_ENV]?.trim();
  if (text === undefined || text === "") return DEFAULT_CALL_TIMEOUT_MS;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    ms = Number.NaN;
  }
  if (!(ms > 0)) {
    throw new ProxyError(
      "CONFIG_INVALID",
      `${CALL_TIMEOUT_ENV}="${text}" is not a positive duration; use e.g. "30s", "2m" or "1m30s"`,
    );
  }
  return ms;
}

export interface StartProxyOptions {
  configPath: string;
  /**
   * The config as the caller just loaded it from `configPath` (`mcpproxy serve` validates it
   * first to report errors its own way): the start uses it instead of reading the file again.
   */
  config?: McpProxyConfig;
  /** host:port, overrides the config's `listen`; port 0 picks a free port. */
  listen?: string;
  /** Overrides the config's log_level. */
  logLevel?: LogLevel;
  /** Overrides the config's log_dir (default: the platform log directory). */
  logDir?: string;
  /** Serve MCP on process stdin/stdout too; logs never go to stdout. HTTP is then best-effort. */
  stdio?: boolean;
  /** Id of this proxy in container labels; random when unset. */
  instanceId?: string;
  /** Mirror the main log to this stream (never stdout in stdio mode); false for none. Default process.stderr. */
  console?: NodeJS.WritableStream | false;
  /** Per-call timeout of tools/call to an upstream. Default: MCPPROXY_CALL_TIMEOUT ("30s"), else 120 s. */
  callTimeoutMs?: number;
  /** Crash-restart policy of upstream servers (lifecycle's defaults when unset). */
  restart?: RestartPolicy;
  /** Debounce of config file events. Default 150 ms. */
  reloadDebounceMs?: number;
  /** Idle time after which an MCP HTTP session is closed (default 30 min). */
  sessionIdleTtlMs?: number;
  /** Most MCP HTTP sessions at once (default 200); the oldest idle one makes room, else 503. */
  maxSessions?: number;
}

export interface RunningProxy {
  /** http://host:port actually bound; "" when stdio mode could not bind HTTP. */
  url: string;
  /** `${url}/mcp` */
  mcpUrl: string;
  configPath: string;
  /** Directory of main.log and the server logs. */
  logDir: string;
  apiKey: string | undefined;
  instanceId: string;
  /**
   * The Docker endpoint every docker call of this run uses, resolved once at start
   * (a later `docker context use` needs a restart of mcpproxy); undefined fields when the CLI could not say.
   */
  engine: { context: string | undefined; endpoint: string | undefined };
  /** Stops every upstream, removes every container, closes HTTP and the logs. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once the proxy has stopped (stop() called, or the stdio client went away). */
  closed: Promise<void>;
}

/**
 * First run (no file): create the default config with a generated api_key.
 * An existing file is only read: a file without api_key keeps none (REST then
 * needs no key on loopback, and a non-loopback listen is refused).
 */
export async function loadStartConfig(configPath: string): Promise<McpProxyConfig> {
  let result = await loadConfig(configPath);
  if (!result.ok && result.errors.some((e) => e.code === "CONFIG_NOT_FOUND")) {
    result = (await ensureConfigFile(configPath)).result;
  }
  if (!result.ok) {
    throw new ProxyError(
      "CONFIG_INVALID",
      `the config file ${configPath} is invalid:\n  ${formatIssues(result.errors).join("\n  ")}`,
    );
  }
  return result.config;
}
