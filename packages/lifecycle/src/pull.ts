// Image pulls with per-layer progress. The docker CLI prints no byte counts when
// its output is not a terminal, so when the CLI's endpoint is a unix socket the
// pull goes to the Engine API on that same socket (POST /images/create, whose
// JSON stream has progressDetail.current/total per layer). Anything else (tcp
// endpoints with TLS, SSH, named pipes) and pulls the API refuses for lack of
// credentials go through `docker pull`, which knows the user's contexts and
// credential helpers; its progress events then carry the status words only.
import http from "node:http";
import { execa } from "execa";
import { dockerBinary } from "./docker-binary.ts";
import { dockerEnv, engineWords, runDocker, saysCannotConnect } from "./docker-cli.ts";
import { engineFailure } from "./engine.ts";
import { pinDockerEndpoint } from "./engine-info.ts";
import { ENGINE_PROBE_TIMEOUT_MS } from "./engine-hints.ts";
import { LifecycleError } from "./errors.ts";
import type { DockerCliOptions, PullProgress } from "./types.ts";

export interface PullImageOptions {
  docker?: DockerCliOptions | undefined;
  onProgress?: ((progress: PullProgress) => void) | undefined;
  /** Abandons the pull (the request or the CLI is ended). */
  signal?: AbortSignal | undefined;
  /**
   * "auto" (default): the Engine API on the CLI's unix socket when it is one, for
   * byte counts, falling back to `docker pull` for credentials; "cli": always `docker pull`.
   */
  method?: "auto" | "cli" | undefined;
}

/** `name` → `name:latest`; references with a tag or digest are kept. (A bare name would pull every tag.) */
export function withDefaultTag(image: string): string {
  if (image.includes("@")) return image;
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  return lastPart.includes(":") ? image : `${image}:latest`;
}

const LAYER_ID = /^[0-9a-f]{12,64}$/;
const AUTH_FAILURE = /unauthorized|authentication required|no basic auth credentials|denied|docker login/i;

class EngineSaid extends Error {}

function pullFailed(image: string, words: string, cause?: unknown): LifecycleError {
  return new LifecycleError("IMAGE_PULL_FAILED", `cannot pull image ${image}: ${words}`, {
    phase: "image",
    image,
    cause,
  });
}

function emitApiEvent(
  image: string,
  raw: unknown,
  onProgress: PullImageOptions["onProgress"],
): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const event = raw as {
    status?: unknown;
    id?: unknown;
    progressDetail?: { current?: unknown; total?: unknown };
    error?: unknown;
    errorDetail?: { message?: unknown };
  };
  if (typeof event.error === "string" || typeof event.errorDetail?.message === "string") {
    return String(event.errorDetail?.message ?? event.error);
  }
  if (typeof event.status !== "string" || onProgress === undefined) return undefined;
  const id = typeof event.id === "string" ? event.id : undefined;
  const layer = id !== undefined && LAYER_ID.test(id) ? id : undefined;
  const current = event.progressDetail?.current;
  const total = event.progressDetail?.total;
  onProgress({
    image,
    layer,
    status: layer === undefined && id !== undefined ? `${id}: ${event.status}` : event.status,
    current: typeof current === "number" ? current : undefined,
    total: typeof total === "number" && total > 0 ? total : undefined,
  });
  return undefined;
}

/** POST /images/create on the engine's unix socket; resolves when the stream ends without error. */
function apiPull(socketPath: string, image: string, options: PullImageOptions): Promise<void> {
  const path = `/images/create?fromImage=${encodeURIComponent(withDefaultTag(image))}`;
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path, method: "POST", signal: options.signal }, (response) => {
      const status = response.statusCode ?? 0;
      let pending = "";
      let body = "";
      let streamError: string | undefined;
      const consume = (line: string): void => {
        if (line.trim() === "") return;
        try {
          streamError ??= emitApiEvent(image, JSON.parse(line), options.onProgress);
        } catch (error) {
          if (error instanceof SyntaxError) return;
          throw error;
        }
      };
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (status !== 200) {
          body += chunk;
          return;
        }
        pending += chunk;
        let newline = pending.indexOf("\n");
        while (newline >= 0) {
          consume(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf("\n");
        }
      });
      response.on("error", reject);
      response.on("end", () => {
        if (status !== 200) {
          let message = body.trim();
          try {
            const parsed = JSON.parse(body) as { message?: unknown };
            if (typeof parsed.message === "string") message = parsed.message;
          } catch {
            // not JSON: keep the raw body
          }
          reject(new EngineSaid(message || `HTTP ${status}`));
          return;
        }
        consume(pending);
        if (streamError !== undefined) reject(new EngineSaid(streamError));
        else resolve();
      });
    });
    request.on("error", reject);
    request.end();
  });
}

/** `docker pull` through the CLI; progress events carry the status words (no byte counts without a TTY). */
async function cliPull(image: string, options: PullImageOptions): Promise<void> {
  const subprocess = execa(dockerBinary(options.docker), ["pull", image], {
    env: dockerEnv(options.docker),
    extendEnv: false,
    stdin: "ignore",
    buffer: { stdout: false, stderr: true },
    reject: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 1_000,
  });
  for await (const line of subprocess.iterable({ from: "stdout" })) {
    const text = String(line).trim();
    if (text === "" || options.onProgress === undefined) continue;
    const match = /^([0-9a-f]{12,64}): (.+)$/.exec(text);
    options.onProgress({ image, layer: match?.[1], status: match?.[2] ?? text });
  }
  const result = await subprocess;
  if (!result.failed) return;
  if (result.isCanceled) throw options.signal?.reason ?? new Error("pull canceled");
  const stderr = typeof result.stderr === "string" ? result.stderr : "";
  if (result.exitCode === undefined || saysCannotConnect(stderr))
    throw new Error(stderr.trim() || result.shortMessage);
  throw new EngineSaid(engineWords(stderr) || result.shortMessage || "docker pull failed");
}

/**
 * Pulls `image` (a bare name means `:latest`), reporting progress per layer.
 * Rejects with LifecycleError IMAGE_PULL_FAILED naming the image and the engine's
 * words, or ENGINE_UNREACHABLE.
 */
export async function pullImage(image: string, options: PullImageOptions = {}): Promise<void> {
  const endpoint = options.method === "cli" ? undefined : (await pinDockerEndpoint(options.docker)).endpoint;
  try {
    if (endpoint?.startsWith("unix://") === true) {
      try {
        await apiPull(endpoint.slice("unix://".length), image, options);
        return;
      } catch (error) {
        if (!(error instanceof EngineSaid) || !AUTH_FAILURE.test(error.message)) throw error;
        // The API got no credentials: let the CLI use the user's credential store.
      }
    }
    await cliPull(image, options);
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (error instanceof EngineSaid) throw pullFailed(image, error.message, error);
    if (error instanceof LifecycleError) throw error;
    // The socket did not answer: say so the way every engine check does.
    const probe = await runDocker(["version", "--format", "{{.Server.Version}}"], {
      docker: options.docker,
      timeoutMs: ENGINE_PROBE_TIMEOUT_MS,
    });
    const failure = await engineFailure(probe, `pull of ${image}`, options.docker, { image });
    if (failure.code === "ENGINE_UNREACHABLE") throw failure;
    throw pullFailed(image, error instanceof Error ? error.message : String(error), error);
  }
}
