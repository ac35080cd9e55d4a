// Spawning one server (a `docker run -i` CLI or a plain process), watching it
// end, and stopping it so that nothing is left behind.
//
// Containers run WITHOUT `--rm`: when a server dies, `docker inspect` must still
// see State.OOMKilled / ExitCode / Error, and with --rm the engine may delete the
// container first. So @mcpproxy/docker-args renders the spec with
// `removeOnExit: false` and this package removes every container itself once it
// ended and was inspected. A proxy killed before that leaves an exited container, which the
// next start's sweepOrphans() removes.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import {
  buildContainerSpec,
  dockerProcessEnv,
  renderCreateRequest,
  renderDockerRunArgv,
  type CreateRequest,
  type DockerArgsWarning,
} from "@mcpproxy/docker-args";
import { execa, type ResultPromise } from "execa";
import { dockerBinary } from "./docker-binary.ts";
import { dockerEnv } from "./docker-cli.ts";
import type { EngineClient } from "./engine-api/client.ts";
import type { ContainerInfo } from "./container-info.ts";
import { containerOps } from "./launch-api.ts";
import { makeCidDir } from "./cid-dir.ts";
import { hostServerEnv } from "./host-env.ts";
import { ownerLabels } from "./owner.ts";
import type { PendingRemovals } from "./pending-removals.ts";
import { ProcessStdioTransport } from "./transport.ts";
import type { DockerCliOptions, ExitInfo } from "./types.ts";

export interface DockerRunPlan {
  argv: string[];
  env: Record<string, string>;
  containerName: string;
  image: string;
  cidFile: string;
  warnings: DockerArgsWarning[];
  /** The same container as an Engine API create request (`needsCli` lists what only the CLI path can do). */
  create: CreateRequest;
}

/**
 * One start's container: the `docker run` argv (with a fresh --cidfile path; the
 * file must not exist yet) and the create request, both from one ContainerSpec.
 */
export async function planDockerRun(
  server: ServerConfig,
  isolation: EffectiveIsolation,
  options: { instanceId: string; configHash?: string | undefined },
): Promise<DockerRunPlan> {
  const cidDir = await makeCidDir();
  const cidFile = path.join(cidDir, "cid");
  try {
    const spec = buildContainerSpec(server, isolation, {
      instanceId: options.instanceId,
      configHash: options.configHash,
      extraLabels: ownerLabels(),
    });
    return {
      argv: renderDockerRunArgv(spec, { removeOnExit: false, cidFile }),
      env: dockerProcessEnv(spec),
      containerName: spec.name,
      image: spec.image,
      cidFile,
      warnings: spec.warnings,
      create: renderCreateRequest(spec, { removeOnExit: false }),
    };
  } catch (error) {
    await rm(cidDir, { recursive: true, force: true });
    throw error;
  }
}

export interface ProcessEnd {
  exitCode: number | null;
  signal: string | undefined;
  /** The process could not be spawned (ENOENT, EACCES, ...). */
  spawnError: string | undefined;
  /** execa's sentence for a spawn failure. */
  message: string | undefined;
}

export interface Launched {
  readonly isolated: boolean;
  readonly transport: ProcessStdioTransport;
  readonly plan: DockerRunPlan | undefined;
  /** Known once docker wrote the --cidfile. */
  containerId: string | undefined;
  /** Resolves when the spawned process (the docker CLI, for a container) exited. */
  readonly ended: Promise<ProcessEnd>;
  readonly hasEnded: () => boolean;
  readonly pid: number | undefined;
  /** Set when the container was started through the Engine API (no CLI process: `pid` is undefined). */
  readonly engine?: EngineClient | undefined;
  /** Engine API path: stops waiting for the container and drops its stdio (what killing the CLI is on the CLI path). */
  readonly abandon?: (() => void) | undefined;
}

const detached = process.platform !== "win32";

function spawn(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): ResultPromise {
  return execa(file, args, {
    env,
    extendEnv: false,
    cwd,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    // The transport reads the pipes: execa must not buffer them too.
    buffer: false,
    reject: false,
    // Own process group: a terminal's Ctrl-C goes to the proxy only, which then
    // stops servers in order; and stop() can signal a server's whole group.
    detached,
    windowsHide: true,
  });
}

function watch(subprocess: ResultPromise): { ended: Promise<ProcessEnd>; hasEnded: () => boolean } {
  let done = false;
  const ended = subprocess.then(
    (result): ProcessEnd => {
      done = true;
      const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined;
      return {
        exitCode: result.exitCode ?? null,
        signal: result.signal,
        spawnError: spawnError ? (result.code ?? "spawn failed") : undefined,
        message: spawnError ? (result.originalMessage ?? result.shortMessage) : undefined,
      };
    },
    (error: unknown): ProcessEnd => {
      done = true;
      return { exitCode: null, signal: undefined, spawnError: "spawn failed", message: String(error) };
    },
  );
  return { ended, hasEnded: () => done };
}

export interface LaunchOptions {
  docker?: DockerCliOptions | undefined;
  onCloseRequested: () => void;
}

export function launchContainer(plan: DockerRunPlan, options: LaunchOptions): Launched {
  const subprocess = spawn(dockerBinary(options.docker), plan.argv, dockerEnv(options.docker, plan.env));
  const transport = new ProcessStdioTransport(subprocess, { onCloseRequested: options.onCloseRequested });
  return {
    isolated: true,
    transport,
    plan,
    containerId: undefined,
    pid: subprocess.pid,
    ...watch(subprocess),
  };
}

export function launchProcess(server: ServerConfig, options: LaunchOptions): Launched {
  const subprocess = spawn(server.command, server.args, hostServerEnv(server), server.working_dir);
  const transport = new ProcessStdioTransport(subprocess, { onCloseRequested: options.onCloseRequested });
  return {
    isolated: false,
    transport,
    plan: undefined,
    containerId: undefined,
    pid: subprocess.pid,
    ...watch(subprocess),
  };
}

/** Waits until docker wrote the container id; undefined when the CLI ended first or `signal` aborted. */
export async function waitForContainerId(
  launched: Launched,
  signal: AbortSignal,
): Promise<string | undefined> {
  const cidFile = launched.plan?.cidFile;
  if (launched.containerId !== undefined || cidFile === undefined) return launched.containerId;
  for (;;) {
    const ended = launched.hasEnded();
    const text = await readFile(cidFile, "utf8").catch(() => "");
    if (/^[0-9a-f]{64}$/.test(text.trim())) {
      launched.containerId = text.trim();
      return launched.containerId;
    }
    if (ended || signal.aborted) return undefined;
    await sleep(20);
  }
}

/** Resolves true when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const result = await Promise.race([
    promise.then(() => true),
    sleep(ms, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  return result;
}

function signalGroup(launched: Launched, signal: NodeJS.Signals): void {
  if (launched.pid === undefined || launched.hasEnded()) return;
  try {
    process.kill(detached ? -launched.pid : launched.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Removes the container (by id, else by name) and checks once more that it is gone.
 * When that fails and `pending` is given, the container is recorded there for a
 * later retry (the engine may be away for a while) instead of throwing.
 */
async function removeContainer(
  launched: Launched,
  docker?: DockerCliOptions,
  pending?: PendingRemovals,
): Promise<boolean> {
  const target = launched.containerId ?? launched.plan?.containerName;
  if (target === undefined) return true;
  const ops = containerOps(launched, docker);
  try {
    await ops.remove(target);
    // A CLI killed while the engine was still creating the container may see it appear after the rm.
    if (launched.containerId === undefined) {
      await sleep(100);
      if ((await ops.inspect(target)) !== undefined) await ops.remove(target);
    }
    return true;
  } catch (error) {
    if (pending === undefined) throw error;
    pending.add(target, error);
    return false;
  }
}

/** Removes the plan's temporary cidfile directory. */
export async function discardPlan(plan: DockerRunPlan): Promise<void> {
  await rm(path.dirname(plan.cidFile), { recursive: true, force: true });
}

async function disposePlan(launched: Launched): Promise<void> {
  if (launched.plan !== undefined) await discardPlan(launched.plan);
}

/**
 * Stops a launched server and leaves nothing behind: ends stdin, waits up to
 * `graceMs` for it to exit; then `docker stop --time` (SIGTERM, SIGKILL after the
 * grace) for a container, or SIGTERM then SIGKILL to the process group; then
 * `docker rm -f`. Never throws for a server that is already gone.
 */
export async function stopLaunched(
  launched: Launched,
  graceMs: number,
  docker?: DockerCliOptions,
  pending?: PendingRemovals,
): Promise<void> {
  launched.transport.end();
  if (launched.isolated) {
    if (launched.containerId === undefined && launched.plan !== undefined && !launched.hasEnded()) {
      // The id may just not be written yet.
      await waitForContainerId(launched, AbortSignal.timeout(Math.min(Math.max(graceMs, 200), 1_000)));
    }
    const stopped = await within(launched.ended, graceMs);
    if (!stopped && launched.containerId !== undefined && graceMs > 0) {
      // Bounded (grace + a few seconds): then `rm -f` and killing the CLI follow.
      await containerOps(launched, docker).stop(launched.containerId, Math.max(1, Math.ceil(graceMs / 1000)));
    }
    if (!launched.hasEnded() && launched.containerId === undefined) signalGroup(launched, "SIGKILL");
    const removed = await removeContainer(launched, docker, pending);
    // An engine that did not remove the container will not end the CLI (or the API's wait) either: end it now.
    if (!removed || !(await within(launched.ended, 5_000))) {
      signalGroup(launched, "SIGKILL");
      launched.abandon?.();
    }
  } else if (graceMs <= 0) {
    signalGroup(launched, "SIGKILL");
  } else if (!(await within(launched.ended, graceMs))) {
    signalGroup(launched, "SIGTERM");
    if (!(await within(launched.ended, graceMs))) signalGroup(launched, "SIGKILL");
  }
  // Bounded: a grandchild that left the process group could hold the pipes open forever.
  await within(launched.ended, 5_000);
  await disposePlan(launched);
}

function describeExit(fields: {
  exitCode: number | null;
  signal?: string | undefined;
  oomKilled?: boolean | undefined;
  containerError?: string | undefined;
  memoryLimit?: string | undefined;
  isolated: boolean;
}): string {
  if (fields.oomKilled === true) {
    return `container was OOMKilled (memory limit ${fields.memoryLimit ?? "unknown"})`;
  }
  if (fields.containerError !== undefined) return `container failed: ${fields.containerError}`;
  if (fields.signal !== undefined) return `was killed by ${fields.signal}`;
  if (fields.isolated && fields.exitCode === 137) return "was killed (exit code 137, SIGKILL)";
  if (fields.isolated && fields.exitCode === 143) return "was terminated (exit code 143, SIGTERM)";
  return `exited with code ${fields.exitCode ?? "unknown"}`;
}

/**
 * After the launched process ended: how it ended (for a container, from
 * `docker inspect` State), then the container is removed. `started` is false
 * when the process or container never got to run the server's command.
 */
export async function collectExit(
  launched: Launched,
  options: {
    docker?: DockerCliOptions | undefined;
    memoryLimit?: string | undefined;
    stderrTail: string[];
    /** Where a container whose removal failed is recorded for a later retry. */
    pending?: PendingRemovals | undefined;
    /** Leave an exited container in place (for `docker logs`/`inspect`); its id is returned as `kept`. */
    keep?: boolean | undefined;
  },
): Promise<{ info: ExitInfo; started: boolean; kept?: string | undefined }> {
  const end = await launched.ended;
  const at = new Date();
  const stderrTail = options.stderrTail;
  if (!launched.isolated) {
    await disposePlan(launched);
    if (end.spawnError !== undefined) {
      return {
        info: { at, exitCode: null, reason: end.message ?? end.spawnError, stderrTail },
        started: false,
      };
    }
    const reason = describeExit({ exitCode: end.exitCode, signal: end.signal, isolated: false });
    return { info: { at, exitCode: end.exitCode, signal: end.signal, reason, stderrTail }, started: true };
  }
  const target = launched.containerId ?? launched.plan?.containerName;
  let info: ContainerInfo | undefined;
  try {
    info = target === undefined ? undefined : await containerOps(launched, options.docker).inspect(target);
  } catch (error) {
    // The engine is unreachable: the container cannot be inspected, but it must not be forgotten.
    await removeContainer(launched, options.docker, options.pending).catch(() => undefined);
    await disposePlan(launched);
    throw error;
  }
  const kept = options.keep === true && info !== undefined && !info.running ? info.id : undefined;
  if (kept === undefined) await removeContainer(launched, options.docker, options.pending);
  await disposePlan(launched);
  if (end.spawnError !== undefined) {
    const reason = `the container engine CLI could not be started (${end.message ?? end.spawnError})`;
    return { info: { at, exitCode: null, reason, stderrTail }, started: false };
  }
  if (info === undefined) {
    // docker run failed before a container existed (exit code 125: the CLI or the engine refused).
    const reason = `docker run failed with exit code ${end.exitCode ?? "unknown"} before the container existed`;
    return { info: { at, exitCode: end.exitCode, reason, stderrTail }, started: false };
  }
  const exitCode = info.running ? end.exitCode : info.exitCode;
  const reason = info.running
    ? `${launched.engine === undefined ? "the docker CLI" : "the engine's wait for the container"} ended (exit code ${end.exitCode ?? "unknown"}) while the container was still running; the container was removed`
    : describeExit({
        exitCode,
        oomKilled: info.oomKilled,
        containerError: info.error,
        memoryLimit: options.memoryLimit,
        isolated: true,
      });
  return {
    info: {
      at,
      exitCode,
      signal: end.signal,
      oomKilled: info.oomKilled,
      containerError: info.error,
      reason,
      stderrTail,
    },
    started: info.startedAt !== undefined,
    kept,
  };
}
