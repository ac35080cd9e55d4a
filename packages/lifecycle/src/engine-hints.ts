// The sentences that tell a user why the engine does not answer and what to do,
// shared by the API probe and the CLI probe (engine-info.ts, engine-info-cli.ts).
import type { DockerCliOptions } from "./types.ts";

/** How long the engine gets to answer a probe. */
export const ENGINE_PROBE_TIMEOUT_MS = 2_000;

/** What to start or check, judged from the context's name and endpoint. */
export function contextHint(
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

/** An engine that did not answer within the probe's limit. */
export function hungEngineMessage(endpoint: string | undefined): string {
  return `the Docker engine at ${endpoint ?? "its default endpoint"} does not answer (no reply within ${ENGINE_PROBE_TIMEOUT_MS / 1000} s: it may be hung or overloaded); restart it (Docker Desktop, Colima, or \`sudo systemctl restart docker\`) and check \`docker info\``;
}

/** An engine that refused the connection or is not there; `words` are the transport's or the CLI's. */
export function unreachableEngineMessage(
  context: string | undefined,
  endpoint: string | undefined,
  words: string,
  docker?: DockerCliOptions,
): string {
  return `cannot reach the Docker engine at ${endpoint ?? "its default endpoint"}; is dockerd running?${contextHint(context, endpoint, docker)} (${words})`;
}
