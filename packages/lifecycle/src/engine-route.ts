// Which way a call goes to the engine: the Engine API client on the run's
// endpoint by default, the docker CLI when asked for (`containerLaunch: "cli"`),
// when the container CLI is another one (podman) or when the endpoint is one
// the API client does not speak (ssh, TLS without verification). Errors of the
// API path are named the way the CLI path names them. The client (docker-modem,
// ssh2) is imported on first use: `mcpproxy serve` imports the sweep at start.
import { dockerBinary } from "./docker-binary.ts";
import type { EngineClient } from "./engine-api/client.ts";
import { EngineApiError } from "./engine-api/errors.ts";
import { LifecycleError } from "./errors.ts";
import type { DockerCliOptions } from "./types.ts";

/** How containers are driven: "api" (default where possible) or "cli". */
export type EngineMethod = "api" | "cli";

/** Why the CLI path is taken instead of the API; empty: the API path. */
export function cliPathReasons(
  docker: DockerCliOptions | undefined,
  method: EngineMethod | undefined,
): string[] {
  if (method === "cli") return ['the CLI path was asked for (containerLaunch: "cli")'];
  const binary = dockerBinary(docker);
  return binary === "docker" ? [] : [`the container CLI is set to ${binary}`];
}

/** The API client for these options, or undefined when calls go through the CLI. */
export async function apiEngine(
  docker: DockerCliOptions | undefined,
  method: EngineMethod | undefined,
): Promise<EngineClient | undefined> {
  if (cliPathReasons(docker, method).length > 0) return undefined;
  const { engineClientFor } = await import("./engine-clients.ts");
  try {
    return engineClientFor(docker);
  } catch (error) {
    if (error instanceof EngineApiError) return undefined; // an endpoint only the CLI speaks
    throw error;
  }
}

/** An engine that is away or hung, as the lifecycle names it (the start waits for it). */
export function lifecycleEngineError(error: unknown, what: string): unknown {
  if (!(error instanceof EngineApiError)) return error;
  if (error.code === "ENGINE_UNREACHABLE" || error.code === "ENGINE_TIMEOUT") {
    return new LifecycleError("ENGINE_UNREACHABLE", error.message, { phase: "engine", cause: error });
  }
  return new LifecycleError("DOCKER_COMMAND_FAILED", `${what} failed: ${error.message}`, { cause: error });
}

/** Runs an API call; its EngineApiError becomes the LifecycleError the CLI path would throw. */
export async function viaApi<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw lifecycleEngineError(error, what);
  }
}
