// Where the engine is and whether it answers (the docker CLI's context and
// `docker version`), and the endpoint pinned for one run. The questions about
// images and containers are in engine-queries.ts.
import { engineWords, isConnectFailure, runDocker, type DockerResult } from "./docker-cli.ts";
import { LifecycleError } from "./errors.ts";
import type { DockerCliOptions, EngineInfo } from "./types.ts";

/** How long the engine gets to answer a probe. */
export const ENGINE_PROBE_TIMEOUT_MS = 2_000;

function contextHint(
  context: string | undefined,
  endpoint: string | undefined,
  docker?: DockerCliOptions,
): string {
  const where = `${context ?? ""} ${endpoint ?? ""}`.toLowerCase();
  if (where.includes("colima")) return " The Colima engine is selected: start it with `colima start`.";
  if (where.includes("desktop") || where.includes("docker.raw.sock") || where.includes("/.docker/run/")) {
    return " The Docker Desktop engine is selected: start Docker Desktop.";
  }
  const dockerHost = docker?.env?.["DOCKER_HOST"] ?? process.env["DOCKER_HOST"];
  if (dockerHost !== undefined && dockerHost !== "") {
    return " DOCKER_HOST is set: check it, or unset it to use the current docker context.";
  }
  if (context !== undefined && context !== "default") {
    return ` The docker context "${context}" is selected: check \`docker context ls\`, or \`docker context use default\`.`;
  }
  return " Start the engine (Docker Desktop, Colima or `sudo systemctl start docker`) and check `docker info`.";
}

function unreachableMessage(
  version: DockerResult,
  context: string | undefined,
  endpoint: string | undefined,
  docker?: DockerCliOptions,
): string {
  const binary = docker?.command ?? "docker";
  if (version.spawnError !== undefined) {
    return `cannot run the container engine CLI \`${binary}\` (${version.spawnError}); is Docker installed and on PATH?`;
  }
  const where = endpoint ?? "its default endpoint";
  if (version.timedOut) {
    return `the Docker engine at ${where} does not answer (no reply within ${ENGINE_PROBE_TIMEOUT_MS / 1000} s: it may be hung or overloaded); restart it (Docker Desktop, Colima, or \`sudo systemctl restart docker\`) and check \`docker info\``;
  }
  const words = engineWords(version.failure) || "no answer";
  return `cannot reach the Docker engine at ${where}; is dockerd running?${contextHint(context, endpoint, docker)} (${binary}: ${words})`;
}

/** The current docker context and endpoint, and whether the engine answers (within ~2 s). */
export async function getEngineInfo(docker?: DockerCliOptions): Promise<EngineInfo> {
  const [contextResult, version] = await Promise.all([
    runDocker(["context", "inspect", "--format", "{{.Name}}\t{{.Endpoints.docker.Host}}"], {
      docker,
      timeoutMs: ENGINE_PROBE_TIMEOUT_MS,
    }),
    runDocker(["version", "--format", "{{.Server.Version}}"], { docker, timeoutMs: ENGINE_PROBE_TIMEOUT_MS }),
  ]);
  let context: string | undefined;
  let endpoint: string | undefined;
  if (!contextResult.failed) {
    const [name, host] = contextResult.stdout.trim().split("\t");
    context = name || undefined;
    endpoint = host || undefined;
  }
  endpoint ??= docker?.env?.["DOCKER_HOST"] ?? (process.env["DOCKER_HOST"] || undefined);
  const serverVersion = version.stdout.trim();
  if (!version.failed && serverVersion !== "") {
    return { reachable: true, context, endpoint, serverVersion };
  }
  return {
    reachable: false,
    context,
    endpoint,
    error: unreachableMessage(version, context, endpoint, docker),
  };
}

/** ENGINE_UNREACHABLE with getEngineInfo's sentence (or DOCKER_COMMAND_FAILED when the engine does answer). */
export async function engineFailure(
  result: DockerResult,
  what: string,
  docker?: DockerCliOptions,
  details: { serverName?: string | undefined; image?: string | undefined } = {},
): Promise<LifecycleError> {
  if (isConnectFailure(result)) {
    const info = await getEngineInfo(docker);
    if (!info.reachable) {
      return new LifecycleError("ENGINE_UNREACHABLE", info.error ?? "the Docker engine is not reachable", {
        ...details,
        phase: "engine",
      });
    }
  }
  const words = result.timedOut ? "timed out" : engineWords(result.failure);
  return new LifecycleError("DOCKER_COMMAND_FAILED", `${what} failed: ${words}`, details);
}

/** The engine endpoint one proxy run uses for all its docker calls (see pinDockerEndpoint). */
export interface PinnedEngine {
  /** Docker CLI options that keep every call on this endpoint. */
  docker: DockerCliOptions;
  /** The docker context it was resolved from, when the CLI names one. */
  context: string | undefined;
  /** e.g. "unix:///var/run/docker.sock"; undefined when the CLI could not say. */
  endpoint: string | undefined;
}

/**
 * Resolves the current docker context/endpoint once and returns CLI options pinned
 * to it, so a `docker context use` during the run cannot split one run's
 * containers across two engines: a unix socket is pinned as DOCKER_HOST, other
 * endpoints (TLS, SSH) by their context name (DOCKER_CONTEXT), which keeps the
 * context's TLS settings. An explicit DOCKER_HOST is already a pin.
 */
export async function pinDockerEndpoint(docker?: DockerCliOptions): Promise<PinnedEngine> {
  const explicitHost = docker?.env?.["DOCKER_HOST"] ?? (process.env["DOCKER_HOST"] || undefined);
  if (explicitHost !== undefined) {
    return {
      docker: { ...docker, env: { ...docker?.env, DOCKER_HOST: explicitHost } },
      context: undefined,
      endpoint: explicitHost,
    };
  }
  const result = await runDocker(
    ["context", "inspect", "--format", "{{.Name}}\t{{.Endpoints.docker.Host}}"],
    {
      docker,
      timeoutMs: ENGINE_PROBE_TIMEOUT_MS,
    },
  );
  const [name, host] = result.failed ? [] : result.stdout.trim().split("\t");
  const context = name || undefined;
  const endpoint = host || undefined;
  if (endpoint?.startsWith("unix://") === true) {
    return {
      docker: { ...docker, env: { ...docker?.env, DOCKER_HOST: endpoint, DOCKER_CONTEXT: undefined } },
      context,
      endpoint,
    };
  }
  if (context !== undefined) {
    return { docker: { ...docker, env: { ...docker?.env, DOCKER_CONTEXT: context } }, context, endpoint };
  }
  return { docker: { ...docker }, context, endpoint };
}
