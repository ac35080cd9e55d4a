// A failed docker CLI call, named: ENGINE_UNREACHABLE when the engine does not
// answer, else the CLI's own words. Where the engine is and whether it answers:
// engine-info.ts; the questions about images and containers: engine-queries.ts.
import { engineWords, isConnectFailure, type DockerResult } from "./docker-cli.ts";
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
