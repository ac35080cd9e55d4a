// Questions to the engine about images and containers: whether an image is
// present, a container's state and its logs. Through the Engine API client by
// default (no `docker` process per question), through the docker CLI where
// lifecycle uses the CLI (see engine-route.ts).
import { parseContainerInfo, type ContainerInfo } from "./container-info.ts";
import { runDocker } from "./docker-cli.ts";
import { inspectContainerApi } from "./engine-api/containers.ts";
import { imagePresentApi } from "./engine-api/images.ts";
import { containerLogsApi } from "./engine-api/managed.ts";
import { engineFailure } from "./engine.ts";
import { apiEngine, viaApi, type EngineMethod } from "./engine-route.ts";
import type { DockerCliOptions } from "./types.ts";

export interface EngineQueryOptions {
  docker?: DockerCliOptions | undefined;
  /** "cli": through the docker CLI; default: the Engine API where the endpoint allows it. */
  method?: EngineMethod | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** Whether `image` is present in the engine's local image store (never pulls). */
export async function imageExists(
  image: string,
  docker?: DockerCliOptions,
  method?: EngineMethod,
): Promise<boolean> {
  return imagePresent(image, { docker, method });
}

export async function imagePresent(image: string, options: EngineQueryOptions): Promise<boolean> {
  const engine = await apiEngine(options.docker, options.method);
  if (engine !== undefined) {
    return viaApi(`image inspect ${image}`, () => imagePresentApi(engine, image, options));
  }
  const result = await runDocker(["image", "inspect", "--format", "{{.Id}}", image], options);
  if (!result.failed) return true;
  if (/no such image/i.test(result.stderr)) return false;
  throw await engineFailure(result, `docker image inspect ${image}`, options.docker, { image });
}

/** `docker inspect` of containers; the ones that do not exist are left out. */
export async function inspectContainers(
  ids: readonly string[],
  options: EngineQueryOptions = {},
): Promise<ContainerInfo[]> {
  if (ids.length === 0) return [];
  const engine = await apiEngine(options.docker, options.method);
  if (engine !== undefined) {
    const found = await viaApi("container inspect", () =>
      Promise.all(ids.map((id) => inspectContainerApi(engine, id, options))),
    );
    return found.filter((info) => info !== undefined);
  }
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
  method?: EngineMethod,
): Promise<ContainerInfo | undefined> {
  const [info] = await inspectContainers([id], { docker, method });
  return info;
}

export interface ContainerLogsOptions {
  /** Only the last N lines of each stream. */
  tail?: number | undefined;
  docker?: DockerCliOptions | undefined;
  /** "cli": `docker logs`; default: the Engine API where the endpoint allows it. */
  method?: EngineMethod | undefined;
}

/** `docker logs`: what the container wrote, per stream, as lines. */
export async function containerLogs(
  id: string,
  options: ContainerLogsOptions = {},
): Promise<{ stdout: string[]; stderr: string[] }> {
  const engine = await apiEngine(options.docker, options.method);
  if (engine !== undefined) {
    return viaApi(`logs ${id}`, () => containerLogsApi(engine, id, { tail: options.tail }));
  }
  const args = ["logs", ...(options.tail === undefined ? [] : ["--tail", String(options.tail)]), id];
  const result = await runDocker(args, { docker: options.docker });
  if (result.failed) {
    throw await engineFailure(result, `docker logs ${id}`, options.docker);
  }
  const lines = (text: string): string[] => (text === "" ? [] : text.split("\n"));
  return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
}
