// Questions to the engine: where it is and whether it answers, whether an image
// is present, a container's state and logs.
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

export interface EngineCallOptions {
  docker?: DockerCliOptions | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** Whether `image` is present in the engine's local image store (never pulls). */
export async function imageExists(image: string, docker?: DockerCliOptions): Promise<boolean> {
  return imagePresent(image, { docker });
}

export async function imagePresent(image: string, options: EngineCallOptions): Promise<boolean> {
  const result = await runDocker(["image", "inspect", "--format", "{{.Id}}", image], options);
  if (!result.failed) return true;
  if (/no such image/i.test(result.stderr)) return false;
  throw await engineFailure(result, `docker image inspect ${image}`, options.docker, { image });
}

/** A container's state as `docker inspect` reports it. */
export interface ContainerInfo {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  /** "created", "running", "exited", "dead", ... */
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** State.Error, e.g. an exec failure; undefined when empty. */
  error: string | undefined;
  /** Undefined when the container never started. */
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  labels: Record<string, string>;
}

function dockerDate(value: unknown): Date | undefined {
  if (typeof value !== "string" || value.startsWith("0001-")) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

export function parseContainerInfo(raw: unknown): ContainerInfo {
  const top = record(raw);
  const state = record(top["State"]);
  const config = record(top["Config"]);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(config["Labels"]))) {
    if (typeof value === "string") labels[key] = value;
  }
  const error = typeof state["Error"] === "string" && state["Error"] !== "" ? state["Error"] : undefined;
  return {
    id: text(top["Id"]),
    name: text(top["Name"]).replace(/^\//, ""),
    image: text(config["Image"]),
    status: text(state["Status"], "unknown"),
    running: state["Running"] === true,
    exitCode: typeof state["ExitCode"] === "number" ? state["ExitCode"] : -1,
    oomKilled: state["OOMKilled"] === true,
    error,
    startedAt: dockerDate(state["StartedAt"]),
    finishedAt: dockerDate(state["FinishedAt"]),
    labels,
  };
}

/** `docker inspect` of containers; the ones that do not exist are left out. */
export async function inspectContainers(
  ids: readonly string[],
  options: EngineCallOptions = {},
): Promise<ContainerInfo[]> {
  if (ids.length === 0) return [];
  const result = await runDocker(["container", "inspect", ...ids], options);
  // With several ids, docker prints the ones it found and fails for the others.
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout || "[]");
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && (parsed.length > 0 || /no such (?:container|object)/i.test(result.stderr))) {
    return parsed.map(parseContainerInfo);
  }
  if (!result.failed) return [];
  throw await engineFailure(result, "docker container inspect", options.docker);
}

/** One container's state; undefined when it does not exist. */
export async function inspectContainer(
  id: string,
  docker?: DockerCliOptions,
): Promise<ContainerInfo | undefined> {
  const [info] = await inspectContainers([id], { docker });
  return info;
}

export interface ContainerLogsOptions {
  /** Only the last N lines of each stream. */
  tail?: number | undefined;
  docker?: DockerCliOptions | undefined;
}

/** `docker logs`: what the container wrote, per stream, as lines. */
export async function containerLogs(
  id: string,
  options: ContainerLogsOptions = {},
): Promise<{ stdout: string[]; stderr: string[] }> {
  const args = ["logs", ...(options.tail === undefined ? [] : ["--tail", String(options.tail)]), id];
  const result = await runDocker(args, { docker: options.docker });
  if (result.failed) {
    throw await engineFailure(result, `docker logs ${id}`, options.docker);
  }
  const lines = (text: string): string[] => (text === "" ? [] : text.split("\n"));
  return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
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
