// Running the container engine's CLI (`docker`, or a CLI-compatible `podman`):
// the only place this package talks to the engine, always through execa.
import { execa } from "execa";
import { dockerBinary } from "./docker-binary.ts";
import { callLimitMs, endpointSeemsHung, noteEngineCall } from "./engine-health.ts";
import type { DockerCliOptions } from "./types.ts";

/** process.env, then `docker.env`, then `extra`; an `undefined` value unsets the name. */
export function dockerEnv(
  docker?: DockerCliOptions,
  extra?: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env, ...docker?.env, ...extra };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/**
 * Every docker CLI call ends within this unless the caller gives its own limit:
 * a hung engine (dockerd stopped, a wedged VM) must never block a start or a shutdown.
 */
export const DOCKER_CALL_TIMEOUT_MS = 15_000;

/** Which engine a call goes to: the CLI binary and DOCKER_HOST (the key of engine-health.ts). */
export function endpointKey(docker?: DockerCliOptions): string {
  return `${dockerBinary(docker)} ${docker?.env?.["DOCKER_HOST"] ?? process.env["DOCKER_HOST"] ?? ""}`;
}

/** Whether the last docker call to this endpoint timed out (it is treated as hung until one answers). */
export function engineSeemsHung(docker?: DockerCliOptions): boolean {
  return endpointSeemsHung(endpointKey(docker));
}

export interface DockerRunOptions {
  docker?: DockerCliOptions | undefined;
  /** Kill the CLI after this long (then `timedOut` is true). Default DOCKER_CALL_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface DockerResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  failed: boolean;
  timedOut: boolean;
  canceled: boolean;
  /** The CLI could not be spawned at all (e.g. ENOENT: not installed). */
  spawnError: string | undefined;
  /** The CLI's own words when it failed: its stderr, else execa's short message. */
  failure: string;
}

/** Runs one docker CLI command to completion; never throws. */
export async function runDocker(
  args: readonly string[],
  options: DockerRunOptions = {},
): Promise<DockerResult> {
  const key = endpointKey(options.docker);
  const limit = options.timeoutMs ?? DOCKER_CALL_TIMEOUT_MS;
  const result = await execa(dockerBinary(options.docker), args, {
    env: dockerEnv(options.docker),
    extendEnv: false,
    stdin: "ignore",
    reject: false,
    timeout: callLimitMs(key, limit),
    cancelSignal: options.signal,
    forceKillAfterDelay: 1_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = typeof result.stdout === "string" ? result.stdout : "";
  const stderr = typeof result.stderr === "string" ? result.stderr : "";
  const spawnError =
    result.failed && result.exitCode === undefined && result.code !== undefined ? result.code : undefined;
  if (result.timedOut) noteEngineCall(key, "timed-out");
  else if (result.exitCode !== undefined) noteEngineCall(key, "answered");
  return {
    exitCode: result.exitCode,
    stdout,
    stderr,
    failed: result.failed,
    timedOut: result.timedOut,
    canceled: result.isCanceled,
    spawnError,
    failure: result.failed ? stderr.trim() || (result.shortMessage ?? "failed") : "",
  };
}

const CONNECT_FAILURE =
  /cannot connect to the docker daemon|is the docker daemon running|error during connect|dial (?:unix|tcp)|connect: (?:connection refused|no such file)|the system cannot find the file specified|docker_engine/i;

/**
 * Whether a failed CLI command failed because the engine did not answer (an
 * "Error response from daemon" came from a daemon, so it did answer).
 */
export function isConnectFailure(result: DockerResult): boolean {
  if (result.spawnError !== undefined || result.timedOut) return true;
  return saysCannotConnect(result.stderr);
}

/** The CLI's stderr says it could not reach the engine. */
export function saysCannotConnect(stderr: string): boolean {
  return !/error response from daemon/i.test(stderr) && CONNECT_FAILURE.test(stderr);
}

/** `docker: Error response from daemon: X` → `X` (the engine's words). */
export function engineWords(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^Run 'docker .* --help' for more information/.test(line));
  return lines
    .map((line) => line.replace(/^(?:docker: )?(?:Error response from daemon: |Error: )/, ""))
    .join("; ");
}
