// The Engine API path of an isolated start: the container is created, attached
// and started over the engine's socket (no `docker` process per server), and
// inspected, stopped and removed the same way. A server whose extra_args need
// the CLI (`needsCli`), an endpoint the API client does not speak (ssh, TLS
// without verification) or a custom container CLI (podman) takes the CLI path;
// the reasons are logged.
import type { EngineClient } from "./engine-api/client.ts";
import {
  inspectContainerApi,
  removeContainer as removeContainerApi,
  stopContainer as stopContainerApi,
} from "./engine-api/containers.ts";
import { EngineApiError } from "./engine-api/errors.ts";
import { runContainer } from "./engine-api/run-container.ts";
import type { ContainerInfo } from "./container-info.ts";
import { removeContainers } from "./containers.ts";
import { runDocker } from "./docker-cli.ts";
import { ENGINE_PROBE_TIMEOUT_MS } from "./engine-hints.ts";
import { getEngineInfo } from "./engine-info.ts";
import { inspectContainers } from "./engine-queries.ts";
import { engineClientFor } from "./engine-clients.ts";
import { apiEngine, cliPathReasons, lifecycleEngineError, viaApi } from "./engine-route.ts";
import type { DockerRunPlan, Launched, LaunchOptions, ProcessEnd } from "./launch.ts";
import type { ProcessStdioTransport } from "./transport.ts";
import type { DockerCliOptions } from "./types.ts";

/** Why a start takes the CLI path; empty: the Engine API path. */
export interface LaunchRoute {
  engine: EngineClient | undefined;
  cliReasons: string[];
}

/** Chooses the API or the CLI path for this plan. */
export function chooseLaunchRoute(
  plan: DockerRunPlan,
  docker: DockerCliOptions | undefined,
  method: "api" | "cli" | undefined,
): LaunchRoute {
  const asked = cliPathReasons(docker, method);
  if (method === "cli") return { engine: undefined, cliReasons: asked };
  const cliReasons = [
    ...plan.create.needsCli.map((entry) => `extra_args ${entry.arg}: ${entry.reason}`),
    ...asked,
  ];
  if (cliReasons.length > 0) return { engine: undefined, cliReasons };
  try {
    return { engine: engineClientFor(docker), cliReasons };
  } catch (error) {
    if (error instanceof EngineApiError) return { engine: undefined, cliReasons: [error.message] };
    throw error;
  }
}

/** Whether the engine answers; `error` says why not. */
export interface EngineProbe {
  reachable: boolean;
  error?: string | undefined;
}

/**
 * Asks whether the engine answers the way this run's containers are launched:
 * `GET /_ping` over the API client on the API path (nothing to spawn, so a loaded
 * machine does not make a live engine look away), `docker version` on the CLI path.
 */
export async function probeEngine(
  docker: DockerCliOptions | undefined,
  method: "api" | "cli" | undefined,
): Promise<EngineProbe> {
  const engine = await apiEngine(docker, method);
  // The CLI path, or an endpoint only the CLI speaks (ssh, unverified TLS).
  if (engine === undefined) return getEngineInfo(docker, { via: "cli" });
  try {
    await engine.request("GET", "/_ping", { timeoutMs: ENGINE_PROBE_TIMEOUT_MS });
    return { reachable: true };
  } catch (error) {
    if (!(error instanceof EngineApiError)) throw error;
    const away = error.code === "ENGINE_UNREACHABLE" || error.code === "ENGINE_TIMEOUT";
    // Any HTTP answer (even a refusal) came from a live engine.
    return away ? { reachable: false, error: error.message } : { reachable: true };
  }
}

/** Creates, attaches and starts the plan's container through the Engine API. */
export async function launchContainerApi(
  plan: DockerRunPlan,
  engine: EngineClient,
  options: LaunchOptions & {
    signal?: AbortSignal | undefined;
    /** Called with the transport before the container starts (listeners miss nothing). */
    onTransport?: ((transport: ProcessStdioTransport) => void) | undefined;
  },
): Promise<Launched> {
  const container = await runContainer(
    engine,
    { name: plan.create.name, body: plan.create.body },
    { onCloseRequested: options.onCloseRequested, signal: options.signal, onTransport: options.onTransport },
  ).catch((error: unknown) => {
    if (
      error instanceof EngineApiError &&
      (error.code === "ENGINE_UNREACHABLE" || error.code === "ENGINE_TIMEOUT")
    ) {
      throw lifecycleEngineError(error, "create");
    }
    throw error;
  });
  const ended = container.exited.then((result): ProcessEnd => ({
    exitCode: result.exitCode,
    signal: undefined,
    spawnError: undefined,
    message: result.error,
  }));
  return {
    isolated: true,
    transport: container.transport,
    plan,
    containerId: container.id,
    ended,
    hasEnded: () => container.hasExited(),
    pid: undefined,
    engine,
    abandon: () => container.abandon(),
  };
}

/** The container calls of a launched server, through the API when it was launched that way. */
export interface ContainerOps {
  inspect(target: string): Promise<ContainerInfo | undefined>;
  remove(target: string): Promise<void>;
  /** Never throws: a stop that fails is followed by a forced removal anyway. */
  stop(id: string, graceSeconds: number): Promise<void>;
}

export function containerOps(launched: Launched, docker: DockerCliOptions | undefined): ContainerOps {
  if (launched.engine === undefined) {
    return {
      inspect: async (target) => (await inspectContainers([target], { docker, method: "cli" }))[0],
      remove: (target) => removeContainers([target], { docker, method: "cli" }),
      stop: async (id, seconds) => {
        // The engine kills the container after `seconds`; a few more mean it does not answer (hung).
        await runDocker(["stop", "--time", String(seconds), id], { docker, timeoutMs: (seconds + 3) * 1000 });
      },
    };
  }
  // Resolved at each call from the (pinned) docker options, as each CLI call reads them.
  const engine = (): EngineClient => engineClientFor(docker);
  return {
    inspect: (target) => viaApi(`inspect ${target}`, () => inspectContainerApi(engine(), target)),
    remove: async (target) => {
      await viaApi(`remove ${target}`, () => removeContainerApi(engine(), target));
    },
    stop: (id, seconds) =>
      viaApi(`stop ${id}`, () => stopContainerApi(engine(), id, seconds)).catch(() => undefined),
  };
}
