// startProxy: composes config, diagnostics, lifecycle, the upstream registry,
// the MCP endpoint, the REST API and hot reload into the running product.
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import {
  ensureConfigFile,
  formatIssues,
  loadConfig,
  parseDuration,
  setServerEnabled,
  type LogLevel,
  type McpProxyConfig,
} from "@mcpproxy/config";
import { createLogManager, resolveLogDir, type LogManager } from "@mcpproxy/diagnostics";
import {
  createServerManager,
  ensurePreparedImage,
  pinDockerEndpoint,
  pullImage,
  type RestartPolicy,
} from "@mcpproxy/lifecycle";
import { liveDoctorReport } from "./doctor-live.ts";
import { errorMessage, ProxyError } from "./errors.ts";
import { createEventBus } from "./events.ts";
import { startHttpServer, type RunningHttpServer } from "./http-server.ts";
import { assertListenAllowed, parseListen } from "./listen.ts";
import { createMcpEndpoint } from "./mcp-endpoint.ts";
import { createToolProvider } from "./mcp-tools.ts";
import { createReloader } from "./reload.ts";
import { createRestHandler } from "./rest-api.ts";
import { watchResourceUse } from "./resource-use.ts";
import { openSecurityStore } from "./security/open-store.ts";
import { createSecuredUpstreams } from "./security/secured-upstreams.ts";
import { serverStatsAnswer, serverView } from "./server-view.ts";
import { watchUpstreamEvents } from "./upstream-events.ts";
import { createUpstreamRegistry } from "./upstreams.ts";
import { createPrepareManager } from "./prepare/prepare-manager.ts";
import { PROXY_VERSION } from "./version.ts";

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
async function loadStartConfig(configPath: string): Promise<McpProxyConfig> {
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

export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const configPath = resolve(options.configPath);
  const callTimeoutMs = resolveCallTimeoutMs(options.callTimeoutMs);
  const bootConfig = await loadStartConfig(configPath);
  let config = bootConfig;
  const listenText = options.listen ?? bootConfig.listen;
  const address = parseListen(listenText);
  assertListenAllowed(address, bootConfig.api_key);
  const instanceId = options.instanceId ?? randomBytes(6).toString("hex");
  const stdio = options.stdio === true;
  const consoleStream = options.console ?? process.stderr;

  const logDir = resolve(options.logDir ?? resolveLogDir(bootConfig));
  const logs: LogManager = createLogManager({
    logDir,
    level: options.logLevel ?? bootConfig.log_level,
    console: consoleStream === process.stdout ? process.stderr : consoleStream,
  });
  logs.main.info(
    { version: PROXY_VERSION, config: configPath, instance_id: instanceId, tools_mode: config.tools_mode },
    "mcpproxy starting",
  );

  if ((bootConfig.api_key ?? "") === "" && !bootConfig.allow_loopback_without_key) {
    logs.main.warn(
      { config: configPath },
      'no "api_key" in the config: every /mcp and REST request is refused until one is added ' +
        "(`mcpproxy serve` adds a generated key)",
    );
  }

  // One endpoint for the whole run: switching contexts mid-run must not split containers across engines.
  const engine = await pinDockerEndpoint();
  logs.main.info(
    { docker_context: engine.context ?? null, docker_endpoint: engine.endpoint ?? null },
    `docker endpoint for this run: ${engine.endpoint ?? "the docker CLI's default"}${engine.context === undefined ? "" : ` (context ${engine.context})`}`,
  );
  const manager = createServerManager({
    instanceId,
    logger: logs.main,
    restart: options.restart,
    docker: engine.docker,
  });
  // The sweep removes only containers whose owning proxy is dead, never this
  // one's, so it runs beside the first starts instead of delaying them.
  const sweeping = manager.sweepOrphans().then(
    (swept) => {
      if (swept.removed.length > 0) {
        const containers = swept.removed.map((c) => c.name);
        logs.main.info(
          { containers },
          `removed ${containers.length} orphaned container(s) of stopped proxies`,
        );
      }
    },
    (error: unknown) => {
      logs.main.warn({ err: errorMessage(error) }, "sweeping orphaned containers failed");
    },
  );

  // Servers with `prepare` on build/reuse their prepared image before lifecycle starts them.
  const prepareManager = createPrepareManager({
    manager,
    logs,
    ensure: ensurePreparedImage,
    prepareOptions: { docker: engine.docker },
  });
  let securityStore;
  try {
    securityStore = openSecurityStore(logDir, bootConfig);
  } catch (error) {
    await sweeping;
    await logs.close();
    throw error;
  }
  const store = securityStore;
  const events = createEventBus();
  const upstreams = createSecuredUpstreams({
    inner: createUpstreamRegistry({ manager: prepareManager, logs }),
    store,
    logs,
    onReviewChanged: (review) => events.emit("security", review),
  });
  const tools = createToolProvider({
    registry: upstreams,
    mode: () => config.tools_mode,
    callTimeoutMs: () => callTimeoutMs,
  });
  const mcp = createMcpEndpoint({
    tools,
    onError: (error, context) => logs.main.debug({ err: error.message, context }, "MCP session error"),
    sessionIdleTtlMs: options.sessionIdleTtlMs,
    maxSessions: options.maxSessions,
    onSessionExpired: (session, why) =>
      logs.main.info(
        { session, why },
        why === "idle" ? "MCP session closed after idling" : "MCP session closed to make room for a new one",
      ),
  });
  upstreams.onToolsChanged(() => mcp.notifyToolsChanged());

  let reloader: ReturnType<typeof createReloader> | undefined;
  const upstreamEvents = watchUpstreamEvents({
    bus: events,
    registry: upstreams,
    reloadStatus: () => reloader?.status() ?? null,
  });
  const resources = watchResourceUse({
    registry: upstreams,
    instanceId,
    docker: engine.docker,
    logger: logs.main,
  });
  const rest = createRestHandler(
    {
      registry: upstreams,
      serverView: (name) => {
        const entry = upstreams.get(name);
        if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
        return Promise.resolve(serverView(entry, resources.stats(name)));
      },
      serverStats: (name) => {
        const entry = upstreams.get(name);
        if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
        return serverStatsAnswer(entry, resources.stats(name));
      },
      async setEnabled(name, enabled) {
        let written;
        try {
          written = await setServerEnabled(configPath, name, enabled);
        } catch (error) {
          throw new ProxyError(
            "CONFIG_WRITE_FAILED",
            `could not update ${configPath}: ${errorMessage(error)}`,
            {
              cause: error,
            },
          );
        }
        await reloader?.apply(written, enabled ? `enable ${name}` : `disable ${name}`);
        upstreamEvents.check();
      },
      async pullImage(name) {
        const entry = upstreams.get(name);
        if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
        const image = serverView(entry).isolation.image;
        if (image === null) {
          throw new ProxyError(
            "BAD_REQUEST",
            `server "${name}" is not isolated: it runs on the host, no image to pull`,
          );
        }
        await pullImage(image, {
          docker: engine.docker,
          onProgress: (progress) => events.emit("pull", { name, ...progress }),
        });
        events.emit("pull", { name, image, status: "done" });
        return image;
      },
      searchTools: (query, limit) => tools.searchTools(query, limit),
      serverLogPath: (name) => logs.serverLogPath(name),
      security: upstreams,
      apiKey: () => config.api_key,
      events,
      doctor: () => liveDoctorReport(config, logs, upstreams, (name) => resources.stats(name)),
      status: () => ({
        version: PROXY_VERSION,
        instance_id: instanceId,
        config_path: configPath,
        listen: http?.url ?? null,
        tools_mode: config.tools_mode,
        sessions: mcp.sessionCount,
        servers: upstreams.list().length,
        tools: upstreams.tools().length,
        reload: reloader?.status() ?? null,
      }),
    },
    (e, c) => {
      logs.main.error({ err: errorMessage(e), request: c }, "HTTP request failed");
    },
  );

  let http: RunningHttpServer | undefined;
  try {
    http = await startHttpServer({
      address,
      apiKey: () => config.api_key,
      allowLoopbackWithoutKey: () => config.allow_loopback_without_key,
      mcp,
      rest,
      onError: (e, c) => {
        logs.main.error({ err: errorMessage(e), request: c }, "HTTP request failed");
      },
    });
  } catch (error) {
    if (!stdio) {
      await sweeping;
      store.close();
      await logs.close();
      throw error;
    }
    logs.main.warn({ err: errorMessage(error) }, "HTTP listener unavailable; serving MCP on stdio only");
  }

  let stopping: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolveClosed) => {
    markClosed = resolveClosed;
  });

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      logs.main.info({ instance_id: instanceId }, "mcpproxy stopping: stopping every upstream server");
      reloader?.close();
      upstreamEvents.close();
      resources.close();
      await sweeping;
      await mcp.close();
      const results = await Promise.allSettled([upstreams.stopAll(), http?.close()]);
      for (const result of results) {
        if (result.status === "rejected")
          logs.main.error({ err: errorMessage(result.reason) }, "stop step failed");
      }
      store.close();
      logs.main.info({ instance_id: instanceId }, "mcpproxy stopped");
      await logs.close();
      markClosed();
    })();
    return stopping;
  }

  try {
    await upstreams.applyConfig(bootConfig);
    await sweeping;
    reloader = createReloader({
      configPath,
      upstreams,
      logs,
      getConfig: () => config,
      setConfig: (next) => {
        config = next;
      },
      bootConfig,
      listenHost: address.host,
      listenOverridden: options.listen !== undefined,
      logLevelOverridden: options.logLevel !== undefined,
      onToolsModeChanged: () => mcp.notifyToolsChanged(),
      debounceMs: options.reloadDebounceMs,
    });
    if (stdio) {
      const session = await mcp.connectStdio(process.stdin, process.stdout);
      void session.closed.then(() => stop());
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const url = http?.url ?? "";
  logs.main.info({ url, mcp: url === "" ? null : `${url}/mcp`, stdio }, "mcpproxy ready");
  return {
    url,
    mcpUrl: url === "" ? "" : `${url}/mcp`,
    configPath,
    logDir,
    get apiKey() {
      return config.api_key;
    },
    instanceId,
    engine: { context: engine.context, endpoint: engine.endpoint },
    stop,
    closed,
  };
}
