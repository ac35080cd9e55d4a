// The engine questions of engine-info.ts asked through the docker CLI: for a
// CLI-compatible engine other than docker (podman), for endpoints only the CLI
// speaks (ssh, TLS without verification), and where the CLI itself is the subject
// (the doctor reports a missing or broken CLI).
import { engineWords, runDocker, type DockerResult } from "./docker-cli.ts";
import { ENGINE_PROBE_TIMEOUT_MS, hungEngineMessage, unreachableEngineMessage } from "./engine-hints.ts";
import type { DockerCliOptions, EngineInfo } from "./types.ts";

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
  if (version.timedOut) return hungEngineMessage(endpoint);
  const words = engineWords(version.failure) || "no answer";
  return unreachableEngineMessage(context, endpoint, `${binary}: ${words}`, docker);
}

/** The CLI's current context name and endpoint; both undefined when it cannot say. */
export async function cliContext(
  docker?: DockerCliOptions,
): Promise<{ context: string | undefined; endpoint: string | undefined }> {
  const result = await runDocker(
    ["context", "inspect", "--format", "{{.Name}}\t{{.Endpoints.docker.Host}}"],
    {
      docker,
      timeoutMs: ENGINE_PROBE_TIMEOUT_MS,
    },
  );
  const [name, host] = result.failed ? [] : result.stdout.trim().split("\t");
  return { context: name || undefined, endpoint: host || undefined };
}

/** getEngineInfo through `docker context inspect` and `docker version`. */
export async function engineInfoViaCli(docker?: DockerCliOptions): Promise<EngineInfo> {
  const [where, version] = await Promise.all([
    cliContext(docker),
    runDocker(["version", "--format", "{{.Server.Version}}"], { docker, timeoutMs: ENGINE_PROBE_TIMEOUT_MS }),
  ]);
  const context = where.context;
  const endpoint =
    where.endpoint ?? docker?.env?.["DOCKER_HOST"] ?? (process.env["DOCKER_HOST"] || undefined);
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
