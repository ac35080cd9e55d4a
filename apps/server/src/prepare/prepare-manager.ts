// The prepare step between the upstream registry and lifecycle's manager: an
// isolated server with `prepare` on whose command is a package runner gets a
// PreparedServerHandle (build or reuse its prepared image, then run it); an
// isolated uvx/pipx server without prepare runs through the launcher wrapper
// (installs uv/pipx at start when the image lacks it); anything else goes to
// lifecycle unchanged.
import type { EffectiveIsolation, IsolationResolution, ServerConfig } from "@mcpproxy/config";
import type { LogManager } from "@mcpproxy/diagnostics";
import {
  unpreparableReason,
  type PrepareImageOptions,
  type PrepareProgress,
  type ServerHandle,
} from "@mcpproxy/lifecycle";
import { describeWrapper, launcherWrapper, planPrepare, runtimeImageOf } from "@mcpproxy/prepare";
import type { ServerManagerLike } from "../upstreams.ts";
import { PreparedServerHandle, type EnsurePrepared } from "./prepared-handle.ts";

export interface PrepareManagerOptions {
  manager: ServerManagerLike;
  logs: LogManager;
  ensure: EnsurePrepared;
  /** Passed to every prepare (docker endpoint, build network, npm settings). */
  prepareOptions?: Partial<PrepareImageOptions> | undefined;
}

/** One progress line per server in the main log this often (every line goes to the server's log). */
const PREPARE_LOG_INTERVAL_MS = 5_000;

export function createPrepareManager(options: PrepareManagerOptions): ServerManagerLike {
  const { manager, logs } = options;
  const prepared = new Map<string, PreparedServerHandle>();

  function logProgress(name: string): (progress: PrepareProgress) => void {
    let lastMain = 0;
    let lastPhase = "";
    return (progress) => {
      const step =
        progress.step === undefined ? "" : ` (step ${progress.step}/${progress.totalSteps ?? "?"})`;
      const fields = { server: name, image: progress.tag, phase: progress.phase, step: progress.step };
      logs.server(name).info(fields, `preparing ${progress.tag}${step}: ${progress.message}`);
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastMain < PREPARE_LOG_INTERVAL_MS) return;
      lastMain = now;
      lastPhase = progress.phase;
      logs.main.info(fields, `server ${name}: preparing ${progress.tag}${step}: ${progress.message}`);
    };
  }

  function addPrepared(server: ServerConfig, isolation: EffectiveIsolation): ServerHandle | undefined {
    const plan = planPrepare(server, isolation);
    const reason = plan.ok ? unpreparableReason(plan.spec) : plan.reason;
    if (!plan.ok || reason !== undefined) {
      const fields = { server: server.name };
      logs.main.warn(fields, `server ${server.name}: not prepared: ${reason}`);
      logs.server(server.name).warn(fields, `not prepared: ${reason}`);
      return undefined;
    }
    const handle = new PreparedServerHandle({
      server,
      isolation,
      spec: plan.spec,
      baseImage: plan.baseImage,
      ensure: options.ensure,
      addPrepared: (next, nextIsolation) => manager.add(next, nextIsolation),
      removePrepared: (name) => manager.remove(name),
      prepareOptions: options.prepareOptions,
    });
    handle.onPrepare(logProgress(server.name));
    handle.on("state", (state) => {
      const error = handle.lastError;
      if (state === "failed" && handle.preparedImage === undefined && error !== undefined) {
        logs.main.error({ server: server.name, code: (error as { code?: unknown }).code }, error.message);
      }
    });
    prepared.set(server.name, handle);
    handle.start();
    return handle;
  }

  /** uvx/pipx without prepare: installs the launcher at start when the image lacks it. */
  function addWrapped(server: ServerConfig, isolation: EffectiveIsolation): ServerHandle | undefined {
    const image = runtimeImageOf(server, isolation);
    const wrapper = launcherWrapper(server.command, server.args, image);
    if (wrapper === undefined) return undefined;
    const line = describeWrapper(wrapper);
    logs.server(server.name).info({ server: server.name, launcher: wrapper.launcher }, `runs as: ${line}`);
    // The image stays the one the original command resolves to (python:3.11), not sh's.
    return manager.add({ ...server, command: wrapper.command, args: wrapper.args }, { ...isolation, image });
  }

  return {
    add(server: ServerConfig, isolation: IsolationResolution, add?: { prepare?: boolean }): ServerHandle {
      if (!isolation.enabled) return manager.add(server, isolation);
      // Not prepared (prepare off, or a command it cannot prepare): uvx/pipx get the launcher wrapper.
      const preparedHandle = add?.prepare === true ? addPrepared(server, isolation) : undefined;
      return preparedHandle ?? addWrapped(server, isolation) ?? manager.add(server, isolation);
    },
    async remove(name) {
      const handle = prepared.get(name);
      prepared.delete(name);
      if (handle !== undefined) await handle.dispose();
      await manager.remove(name);
    },
    async stopAll() {
      const handles = [...prepared.values()];
      await Promise.all([...handles.map((handle) => handle.stop()), manager.stopAll()]);
    },
  };
}
