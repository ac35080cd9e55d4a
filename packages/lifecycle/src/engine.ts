// Questions to the engine: where it is and whether it answers, whether an image
// is present, a container's state and logs.
import { engineWords, isConnectFailure, runDocker, type DockerResult } from "./docker-cli.ts";
import { getEngineInfo } from "./engine-info.ts";
import { LifecycleError } from "./errors.ts";
import type { DockerCliOptions } from "./types.ts";

/** ENGINE_UNREACHABLE with getEngineInfo's sentence (or DOCKER_COMMAND_FAILED when the engine does answer). */
export async function engineFailure(
  result: DockerResult,
  what: string,
  docker?: DockerCliOptions,
  details: { serverName?: string | undefined; image?: string | undefined } = {},
): Promise<LifecycleError> {
  if (isConnectFailure(result)) {
    const info = await getEngineInfo(docker, { via: "cli" });
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
