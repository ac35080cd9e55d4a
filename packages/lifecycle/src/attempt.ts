// One start of one server, phase by phase, under the startup timeout:
// engine → image (pull when missing) → process (container created) → initialize.
// On any failure the process/container is killed and removed before the typed
// error is thrown, so a failed start never leaves anything behind.
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import { DockerArgsError, dockerRunArgsForLog } from "@mcpproxy/docker-args";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { EngineApiError } from "./engine-api/errors.ts";
import { imagePresent } from "./engine-queries.ts";
import { chooseLaunchRoute, launchContainerApi, type LaunchRoute } from "./launch-api.ts";
import { errorMessage, LifecycleError, type LifecycleErrorCode } from "./errors.ts";
import {
  collectExit,
  discardPlan,
  launchContainer,
  launchProcess,
  planDockerRun,
  stopLaunched,
  waitForContainerId,
  type DockerRunPlan,
  type Launched,
} from "./launch.ts";
import type { PendingRemovals } from "./pending-removals.ts";
import { sharedPull } from "./shared-pull.ts";
import type { ExitInfo, PullStatus, StartPhase, StartServerOptions } from "./types.ts";

export interface AttemptHooks {
  onPhase?: ((phase: StartPhase) => void) | undefined;
  /** The image is being pulled (shared with other servers): the whole pull's progress. */
  onPull?: ((status: PullStatus) => void) | undefined;
  onStderr?: ((line: string) => void) | undefined;
  onGarbage?: ((line: string) => void) | undefined;
  /** The container about to run: its name, image and masked argv. */
  onPlan?: ((plan: { containerName: string; image: string; dockerArgv: string[] }) => void) | undefined;
  /** docker wrote the container id (the container exists). */
  onContainer?: ((id: string) => void) | undefined;
  /** The transport was closed by someone other than the lifecycle code (e.g. client.close()). */
  onCloseRequested: () => void;
  /** Where a container whose removal failed is recorded for a later retry. */
  pending?: PendingRemovals | undefined;
  /** Given: a container that exited by itself is kept (not removed) and its id passed here. */
  onKeep?: ((id: string) => void) | undefined;
}

export interface Running {
  launched: Launched;
  launchedVia: "api" | "cli" | undefined;
  client: Client;
  /** Masked `docker run` argv (no binary), for isolated servers. */
  dockerArgv: string[] | undefined;
}

const STDERR_TAIL_LINES = 20;
/** Failures after which a create may have happened on the engine without its answer reaching us. */
const LOST_CREATE_CODES = new Set<LifecycleErrorCode>(["ENGINE_UNREACHABLE", "DOCKER_COMMAND_FAILED"]);

export const DEFAULT_CLIENT_INFO = { name: "mcpproxy", version: "0.1.0" };

function stalledHint(phase: StartPhase, image: string | undefined): string {
  switch (phase) {
    case "engine":
      return "the Docker engine did not answer";
    case "image":
      return `checking or pulling the image ${image ?? ""} took too long`.replace("  ", " ");
    case "process":
      return "the process (or its container) was not created in time";
    case "initialize":
      return "the server did not answer the MCP initialize request; is it a stdio MCP server, and is its startup slow?";
  }
}

/** The engine's answer to a create whose image is not in the local store. */
function isMissingImage(error: unknown): boolean {
  return (
    error instanceof EngineApiError && error.code === "NOT_FOUND" && /no such image/i.test(error.message)
  );
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

/** Starts `server` once; resolves with an initialized client, or throws LifecycleError after cleanup. */
export async function attemptStart(
  server: ServerConfig,
  isolation: IsolationResolution,
  options: StartServerOptions,
  stopSignal: AbortSignal,
  hooks: AttemptHooks,
): Promise<Running> {
  const timeoutMs = isolation.timeout_ms;
  const controller = new AbortController();
  const stopped = new Error(`start of ${server.name} abandoned: the server is being stopped`);
  const timedOut = new Error(`start of ${server.name} timed out after ${timeoutMs} ms`);
  const onStop = (): void => controller.abort(stopped);
  if (stopSignal.aborted) onStop();
  stopSignal.addEventListener("abort", onStop, { once: true });
  // The startup timeout starts once the image is present: a pull has its own limit.
  let timer: NodeJS.Timeout | undefined;
  const startTimeout = (): void => {
    timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
  };
  const signal = controller.signal;
  const docker = options.docker;
  let phase: StartPhase = "process";
  const enter = (next: StartPhase): void => {
    phase = next;
    hooks.onPhase?.(next);
  };
  let launched: Launched | undefined;
  let plan: DockerRunPlan | undefined;
  let route: LaunchRoute | undefined;
  let image: string | undefined;
  const details = (): {
    phase: StartPhase;
    serverName: string;
    stderrTail: string[];
    image: string | undefined;
  } => ({
    phase,
    serverName: server.name,
    stderrTail: launched?.transport.stderrTail(STDERR_TAIL_LINES) ?? [],
    image,
  });

  const wire = (transport: Launched["transport"]): void => {
    if (hooks.onStderr !== undefined) transport.on("stderr", hooks.onStderr);
    if (hooks.onGarbage !== undefined) transport.on("stdout-garbage", hooks.onGarbage);
  };
  const client = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, { capabilities: {} });
  let initialized: Promise<"ready"> | undefined;
  /** Sends `initialize` (the server reads it once it runs, as from a `docker run -i` CLI). */
  const initialize = (transport: Launched["transport"]): Promise<"ready"> => {
    initialized = client
      .connect(transport, { signal, timeout: timeoutMs + 1_000 })
      .then(() => "ready" as const);
    // Awaited below; a start that fails first closes the transport and this rejects unobserved.
    initialized.catch(() => undefined);
    return initialized;
  };

  try {
    let dockerArgv: string[] | undefined;
    if (isolation.enabled) {
      plan = await planDockerRun(server, isolation, options);
      image = plan.image;
      dockerArgv = dockerRunArgsForLog(plan);
      hooks.onPlan?.({ containerName: plan.containerName, image: plan.image, dockerArgv });
      for (const warning of plan.warnings) {
        options.logger?.warn({ server: server.name, code: warning.code, arg: warning.arg }, warning.message);
      }
      route = chooseLaunchRoute(plan, docker, options.containerLaunch);
      for (const reason of route.cliReasons) {
        if (options.containerLaunch === "cli") break;
        options.logger?.warn({ server: server.name, reason }, "container started with the docker CLI");
      }
      /** A missing image is pulled (shared with other servers), unless pulling is turned off. */
      const pullMissing = async (missing: DockerRunPlan): Promise<void> => {
        if (options.pullMissingImage === false) {
          throw new LifecycleError(
            "IMAGE_NOT_FOUND",
            `image ${missing.image} is not present locally and pulling is turned off; run \`docker pull ${missing.image}\``,
            { ...details(), phase: "image" },
          );
        }
        enter("image");
        options.logger?.info({ server: server.name, image: missing.image }, "pulling image");
        await sharedPull(missing.image, {
          docker,
          signal,
          timeoutMs: isolation.pull_timeout_ms,
          onProgress: hooks.onPull,
        });
      };
      // The API path starts the container before it returns: its first stderr lines need the hooks
      // already, and `initialize` goes out with the start (stdin is attached), not after its answer.
      const onTransport = (transport: Launched["transport"]): void => {
        wire(transport);
        void initialize(transport);
      };
      const launch = { docker, onCloseRequested: hooks.onCloseRequested, signal, onTransport };
      const engine = route.engine;
      if (engine === undefined) {
        enter("engine");
        if (!(await imagePresent(plan.image, { docker, signal, method: "cli" }))) await pullMissing(plan);
        startTimeout();
        enter("process");
        options.logger?.debug({ server: server.name, docker_run_args: dockerArgv }, "docker run");
        launched = launchContainer(plan, launch);
      } else {
        // No image lookup first: the create answers "No such image" when it is missing (one request less).
        const planned = plan;
        startTimeout();
        enter("process");
        options.logger?.debug({ server: server.name, docker_run_args: dockerArgv }, "docker run");
        launched = await launchContainerApi(planned, engine, launch).catch(async (error: unknown) => {
          if (!isMissingImage(error)) throw error;
          clearTimeout(timer); // the startup timeout starts once the image is present
          await pullMissing(planned);
          startTimeout();
          enter("process");
          return launchContainerApi(planned, engine, launch);
        });
      }
    } else {
      startTimeout();
      enter("process");
      launched = launchProcess(server, { onCloseRequested: hooks.onCloseRequested });
    }
    const current = launched;
    if (current.engine === undefined) wire(current.transport);
    if (current.isolated) {
      const id = await waitForContainerId(current, signal);
      if (id !== undefined) hooks.onContainer?.(id);
    }
    signal.throwIfAborted();

    enter("initialize");
    const exited = current.ended.then(() => "exited" as const);
    const outcome = await Promise.race([initialized ?? initialize(current.transport), exited]);
    if (outcome === "exited") throw new Error("the server exited during initialize");
    const launchedVia = current.isolated ? (current.engine === undefined ? "cli" : "api") : undefined;
    return { launched: current, client, dockerArgv, launchedVia };
  } catch (error) {
    throw await failure(error);
  } finally {
    clearTimeout(timer);
    stopSignal.removeEventListener("abort", onStop);
  }

  async function failure(error: unknown): Promise<LifecycleError> {
    const reason: unknown = signal.reason;
    let exit: ExitInfo | undefined;
    let started = true;
    if (launched !== undefined) {
      const tail = launched.transport.stderrTail(STDERR_TAIL_LINES);
      // A process that ended by itself is inspected (exit code, OOMKilled) before removal.
      // On the API path the wait's answer can trail the attach stream's end by a moment on a loaded engine.
      if (!signal.aborted && (launched.hasEnded() || (await settlesWithin(launched.ended, 2_000)))) {
        const collected = await collectExit(launched, {
          docker,
          memoryLimit: isolation.enabled ? isolation.memory_limit : undefined,
          stderrTail: tail,
          pending: hooks.pending,
          keep: hooks.onKeep !== undefined,
        });
        if (collected.kept !== undefined) hooks.onKeep?.(collected.kept);
        exit = collected.info;
        started = collected.started;
      } else {
        await stopLaunched(launched, 0, docker, hooks.pending);
      }
    } else if (plan !== undefined) {
      await discardPlan(plan);
      // The engine may have carried out the create and then gone away before answering (a restart):
      // that container is removed by its name once the engine answers again.
      if (error instanceof LifecycleError && LOST_CREATE_CODES.has(error.code)) {
        hooks.pending?.add(plan.containerName);
      }
    }
    const base = { ...details(), exit, cause: error === reason ? undefined : error };
    if (reason === stopped) return new LifecycleError("STOPPED", stopped.message, base);
    if (reason === timedOut) {
      return new LifecycleError(
        "STARTUP_TIMEOUT",
        `server ${server.name} did not start within ${timeoutMs} ms: stalled in the ${phase} phase (${stalledHint(phase, image)})`,
        base,
      );
    }
    if (error instanceof DockerArgsError) {
      return new LifecycleError("INVALID_SERVER_CONFIG", `server ${server.name}: ${error.message}`, base);
    }
    if (error instanceof LifecycleError) {
      const phaseOf = error.code === "ENGINE_UNREACHABLE" ? "engine" : (error.phase ?? phase);
      return new LifecycleError(error.code, error.shortMessage, { ...base, phase: phaseOf, cause: error });
    }
    if (exit !== undefined) {
      if (!started || phase === "process") {
        return new LifecycleError(
          "PROCESS_START_FAILED",
          `server ${server.name} could not be started: ${exit.reason}`,
          { ...base, phase: "process" },
        );
      }
      return new LifecycleError(
        "PROCESS_EXITED",
        `server ${server.name} ended during the ${phase} phase: ${exit.reason}`,
        base,
      );
    }
    if (phase === "initialize") {
      return new LifecycleError(
        "INITIALIZE_FAILED",
        `server ${server.name} failed the MCP initialize handshake: ${errorMessage(error)}`,
        base,
      );
    }
    return new LifecycleError("PROCESS_START_FAILED", `server ${server.name}: ${errorMessage(error)}`, base);
  }
}
