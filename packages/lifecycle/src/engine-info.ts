// Where the engine is and whether it answers, asked without the docker CLI where
// the CLI is not the subject: the endpoint is resolved from DOCKER_HOST and the
// docker context files as the CLI resolves it, and `GET /version` is asked over
// that socket. The CLI (loaded only then) answers for podman, for endpoints only
// it speaks (ssh, TLS without verification), and when asked for (the doctor).
import { resolveEngineEndpoint, type EngineEndpoint } from "./engine-api/endpoint.ts";
import { EngineApiError } from "./engine-api/errors.ts";
import { engineVersion } from "./engine-api/version.ts";
import { cliPathReasons } from "./engine-route.ts";
import { ENGINE_PROBE_TIMEOUT_MS, hungEngineMessage, unreachableEngineMessage } from "./engine-hints.ts";
import type { DockerCliOptions, EngineInfo } from "./types.ts";

export interface EngineInfoOptions {
  /**
   * "api" (default): resolve the endpoint from the environment and the context files
   * and ask `GET /version`; no `docker` binary needed. "cli": `docker context inspect`
   * and `docker version`, so a missing or broken CLI is reported as such.
   */
  via?: "api" | "cli" | undefined;
}

/** process.env with `docker.env` over it; an undefined value unsets the name. */
function engineEnv(docker?: DockerCliOptions): Record<string, string | undefined> {
  return { ...process.env, ...docker?.env };
}

/** The Engine API can answer for these options: the docker CLI's engine (not podman's). */
function apiCanAnswer(docker?: DockerCliOptions): boolean {
  return cliPathReasons(docker, undefined).length === 0;
}

async function viaCli(docker?: DockerCliOptions): Promise<EngineInfo> {
  const { engineInfoViaCli } = await import("./engine-info-cli.ts");
  return engineInfoViaCli(docker);
}

/** The API answer; undefined for an endpoint the API client does not speak. */
async function viaApi(docker?: DockerCliOptions): Promise<EngineInfo | undefined> {
  let endpoint: EngineEndpoint;
  try {
    endpoint = resolveEngineEndpoint({ env: engineEnv(docker) });
  } catch (error) {
    if (!(error instanceof EngineApiError)) throw error;
    return { reachable: false, error: error.message };
  }
  const where = { context: endpoint.context, endpoint: endpoint.host };
  try {
    const serverVersion = await engineVersion(endpoint, ENGINE_PROBE_TIMEOUT_MS);
    return { reachable: true, ...where, serverVersion };
  } catch (error) {
    if (!(error instanceof EngineApiError)) throw error;
    if (error.code === "ENDPOINT_UNSUPPORTED") return undefined;
    if (error.code === "ENGINE_TIMEOUT")
      return { reachable: false, ...where, error: hungEngineMessage(endpoint.host) };
    return {
      reachable: false,
      ...where,
      error: unreachableEngineMessage(endpoint.context, endpoint.host, error.message, docker),
    };
  }
}

/** The current docker context and endpoint, and whether the engine answers (within ~2 s). */
export async function getEngineInfo(
  docker?: DockerCliOptions,
  options: EngineInfoOptions = {},
): Promise<EngineInfo> {
  if ((options.via ?? "api") === "api" && apiCanAnswer(docker)) {
    const answer = await viaApi(docker);
    if (answer !== undefined) return answer;
  }
  return viaCli(docker);
}

/** The engine endpoint one proxy run uses for all its docker calls (see pinDockerEndpoint). */
export interface PinnedEngine {
  /** Docker CLI options that keep every call on this endpoint. */
  docker: DockerCliOptions;
  /** The docker context it was resolved from, when known. */
  context: string | undefined;
  /** e.g. "unix:///var/run/docker.sock"; undefined when it could not be resolved. */
  endpoint: string | undefined;
}

function pinned(
  docker: DockerCliOptions | undefined,
  context: string | undefined,
  endpoint: string | undefined,
): PinnedEngine {
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

/**
 * Resolves the current docker context/endpoint once and returns CLI options pinned
 * to it, so a `docker context use` during the run cannot split one run's
 * containers across two engines: a unix socket is pinned as DOCKER_HOST, other
 * endpoints (TLS, SSH) by their context name (DOCKER_CONTEXT), which keeps the
 * context's TLS settings. An explicit DOCKER_HOST is already a pin. Read from the
 * context files (no CLI process); the CLI is asked for another engine CLI (podman)
 * or a context the files do not resolve.
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
  if (apiCanAnswer(docker)) {
    try {
      const endpoint = resolveEngineEndpoint({ env: engineEnv(docker) });
      return pinned(docker, endpoint.context, endpoint.host);
    } catch (error) {
      if (!(error instanceof EngineApiError)) throw error;
      // The CLI below says what it makes of the same context (and fails the same way if it is broken).
    }
  }
  const { cliContext } = await import("./engine-info-cli.ts");
  const where = await cliContext(docker);
  return pinned(docker, where.context, where.endpoint);
}
