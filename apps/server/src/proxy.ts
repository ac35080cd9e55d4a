// startProxy: composes config, diagnostics, lifecycle, the upstream registry,
// the MCP endpoint, the REST API and hot reload into the running product.
// Ready means listening: what an empty config does not use (lifecycle's engine
// client, the MCP SDK server, Hono, the doctor) is imported on first use, the
// docker endpoint is resolved and orphans are swept beside the start.
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { setServerEnabled } from "@mcpproxy/config";
import { createLogManager, resolveLogDir, type LogManager } from "@mcpproxy/diagnostics";
import { pinDockerEndpoint } from "@mcpproxy/lifecycle";
import { errorMessage, ProxyError } from "./errors.ts";
import { createEventBus } from "./events.ts";
import { startHttpServer, type RunningHttpServer } from "./http-server.ts";
import { lazyMcpEndpoint } from "./lazy-mcp-endpoint.ts";
import { lazyServerManager } from "./lazy-manager.ts";
import { assertListenAllowed, parseListen } from "./listen.ts";
import { onFirstUse } from "./on-first-use.ts";
import {
  loadStartConfig,
  resolveCallTimeoutMs,
  type RunningProxy,
  type StartProxyOptions,
} from "./proxy-options.ts";
import { createReloader } from "./reload.ts";
import type { RestContext, WebHandler } from "./rest-api.ts";
import { watchResourceUse } from "./resource-use.ts";
import { openSecurityStore } from "./security/open-store.ts";
import { createSecuredUpstreams } from "./security/secured-upstreams.ts";
import { serverStatsAnswer, serverView } from "./server-view.ts";
import { watchUpstreamEvents } from "./upstream-events.ts";
import { createUpstreamRegistry } from "./upstreams.ts";
import { PROXY_VERSION } from "./version.ts";

export {
  CALL_TIMEOUT_ENV,
  DEFAULT_CALL_TIMEOUT_MS,
  resolveCallTimeoutMs,
  type RunningProxy,
  type StartProxyOptions,
} from "./proxy-options.ts";

/** How long after ready the orphan sweep begins unless a start or stop needs it sooner. */
const SWEEP_DELAY_MS = 500;

export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const configPath = resolve(options.configPath);
  const callTimeoutMs = resolveCallTimeoutMs(options.callTimeoutMs);
  const bootConfig = options.config ?? (await loadStartConfig(configPath));
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
  const pinning = pinDockerEndpoint().then((engine) => {
    logs.main.info(
      { docker_context: engine.context ?? null, docker_endpoint: engine.endpoint ?? null },
      `docker endpoint for this run: ${engine.endpoint ?? "the docker CLI's default"}${engine.context === undefined ? "" : ` (context ${engine.context})`}`,
    );
    return engine;
  });
  // Begins half a second after ready, or earlier at the first isolated start (lazy-manager.ts), which
  // runs beside it; ready then waits for it (a killed predecessor's containers are gone by then), as
  // stop does, so no engine call outlives the proxy.
  const sweep = onFirstUse(async () =>
    (await import("./orphan-sweep.ts")).sweepInBackground(pinning, instanceId, logs),
  );
  const manager = lazyServerManager({
    load: async () => {
      const [{ createUpstreamManager }, engine] = await Promise.all([
        import("./lifecycle-on-demand.ts"),
        pinning,
      ]);
      return createUpstreamManager({ instanceId, logs, restart: options.restart, docker: engine.docker });
    },
    sweep: () => sweep.get(),
  });

  let securityStore;
  try {
    securityStore = openSecurityStore(logDir, bootConfig, (error) =>
      logs.main.error({ err: error.message, code: error.code }, "activity log write failed"),
    );
  } catch (error) {
    await sweep.get();
    await logs.close();
    throw error;
  }
  const store = securityStore;
  const events = createEventBus();
  const upstreams = createSecuredUpstreams({
    inner: createUpstreamRegistry({ manager, logs }),
    store,
    logs,
    onReviewChanged: (review) => events.emit("security", review),
  });
  // The proxy's MCP tools (their schemas, the search index) are built for the first MCP or REST use.
  const tools = onFirstUse(async () =>
    (await import("./mcp-tools.ts")).createToolProvider({
      registry: upstreams,
      mode: () => config.tools_mode,
      callTimeoutMs: () => callTimeoutMs,
    }),
  );
  const mcp = lazyMcpEndpoint(async () =>
    (await import("./mcp-endpoint.ts")).createMcpEndpoint({
      tools: await tools.get(),
      onError: (error, context) => logs.main.debug({ err: error.message, context }, "MCP session error"),
      sessionIdleTtlMs: options.sessionIdleTtlMs,
      maxSessions: options.maxSessions,
      onSessionExpired: (session, why) =>
        logs.main.info(
          { session, why },
          why === "idle"
            ? "MCP session closed after idling"
            : "MCP session closed to make room for a new one",
        ),
    }),
  );
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
    docker: pinning.then((engine) => engine.docker),
    logger: logs.main,
  });
  /** The upstream entry of a server in the config; a REST lookup of another name is a 404. */
  const configuredServer = (name: string) => {
    const entry = upstreams.get(name);
    if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
    return entry;
  };
  const restContext: Omit<RestContext, "searchTools"> = {
    registry: upstreams,
    serverView: (name) => Promise.resolve(serverView(configuredServer(name), resources.stats(name))),
    serverStats: (name) => serverStatsAnswer(configuredServer(name), resources.stats(name)),
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
      const image = serverView(configuredServer(name)).isolation.image;
      if (image === null) {
        throw new ProxyError(
          "BAD_REQUEST",
          `server "${name}" is not isolated: it runs on the host, no image to pull`,
        );
      }
      const [{ pullImage }, engine] = await Promise.all([import("./lifecycle-on-demand.ts"), pinning]);
      await pullImage(image, {
        docker: engine.docker,
        onProgress: (progress) => events.emit("pull", { name, ...progress }),
      });
      events.emit("pull", { name, image, status: "done" });
      return image;
    },
    serverLogPath: (name) => logs.serverLogPath(name),
    security: upstreams,
    apiKey: () => config.api_key,
    events,
    doctor: async () =>
      (await import("./doctor-live.ts")).liveDoctorReport(config, logs, upstreams, (name) =>
        resources.stats(name),
      ),
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
  };
  const logRequestError = (e: unknown, c: string) => {
    logs.main.error({ err: errorMessage(e), request: c }, "HTTP request failed");
  };
  // Hono and the routes are loaded by the first REST or dashboard request.
  const restHandler = onFirstUse(async () => {
    const [{ createRestHandler }, provider] = await Promise.all([import("./rest-api.ts"), tools.get()]);
    const searchTools = (query: string, limit: number) => provider.searchTools(query, limit);
    return createRestHandler({ ...restContext, searchTools }, logRequestError);
  });
  const rest: WebHandler = async (req, res, access) => (await restHandler.get())(req, res, access);

  let http: RunningHttpServer | undefined;
  try {
    http = await startHttpServer({
      address,
      apiKey: () => config.api_key,
      allowLoopbackWithoutKey: () => config.allow_loopback_without_key,
      mcp,
      rest,
      onError: logRequestError,
    });
  } catch (error) {
    if (!stdio) {
      await sweep.get();
      store.close();
      await logs.close();
      throw error;
    }
    logs.main.warn({ err: errorMessage(error) }, "HTTP listener unavailable; serving MCP on stdio only");
  }

  let stopping: Promise<void> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined = undefined;
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
      clearTimeout(sweepTimer);
      await sweep.get();
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

  let engine;
  try {
    // Starts the enabled servers without waiting for them.
    await upstreams.applyConfig(bootConfig);
    if (sweep.started) await sweep.get();
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
    engine = await pinning;
  } catch (error) {
    await stop();
    throw error;
  }

  const url = http?.url ?? "";
  logs.main.info({ url, mcp: url === "" ? null : `${url}/mcp`, stdio }, "mcpproxy ready");
  // A moment after ready: loading the sweep (the docker CLI or the engine client) and its engine calls
  // must not delay the caller's "Ready" lines. The first isolated start and stop() begin it at once.
  sweepTimer = setTimeout(() => void sweep.get(), SWEEP_DELAY_MS);
  sweepTimer.unref();
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
