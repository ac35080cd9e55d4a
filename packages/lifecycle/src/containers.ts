// The proxy's containers as a set: list them, remove them, and sweep the ones
// whose owning proxy died without cleaning up (kill -9, crash, power loss).
import { labelFilterArgs, MCPPROXY_LABELS } from "@mcpproxy/docker-args";
import { engineWords, runDocker } from "./docker-cli.ts";
import { listContainersByLabel, removeContainersApi } from "./engine-api/managed.ts";
import { engineFailure } from "./engine.ts";
import { inspectContainers } from "./engine-queries.ts";
import { apiEngine, viaApi, type EngineMethod } from "./engine-route.ts";
import { LifecycleError } from "./errors.ts";
import { sweepCidDirs } from "./cid-dir.ts";
import { isOwnedByThisProcess, ownerStatus } from "./owner.ts";
import type { DockerCliOptions, ManagedContainer } from "./types.ts";

export interface ListManagedOptions {
  docker?: DockerCliOptions | undefined;
  /** "cli": through the docker CLI; default: the Engine API where the endpoint allows it. */
  method?: EngineMethod | undefined;
  /** Only this server's containers. */
  server?: string | undefined;
  /** Only containers of this proxy instance. */
  instanceId?: string | undefined;
}

interface PsRow {
  ID?: string;
  Names?: string;
  Image?: string;
  State?: string;
  Status?: string;
}

/** Every container (running or not) labelled `io.mcpproxy.managed-by=mcpproxy`, with all its labels. */
export async function listManagedContainers(options: ListManagedOptions = {}): Promise<ManagedContainer[]> {
  const filters = labelFilterArgs({ server: options.server, instanceId: options.instanceId });
  const engine = await apiEngine(options.docker, options.method);
  if (engine !== undefined) {
    // The same filters as the CLI's: every `--filter label=…` value, without its `label=`.
    const labels = filters.filter((arg) => arg !== "--filter").map((arg) => arg.replace(/^label=/, ""));
    const rows = await viaApi("container list", () => listContainersByLabel(engine, labels));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      image: row.image,
      state: row.state,
      status: row.status,
      serverName: row.labels[MCPPROXY_LABELS.server],
      instanceId: row.labels[MCPPROXY_LABELS.instance],
      labels: row.labels,
    }));
  }
  const ps = await runDocker(["ps", "-a", "--no-trunc", ...filters, "--format", "{{json .}}"], {
    docker: options.docker,
  });
  if (ps.failed) throw await engineFailure(ps, "docker ps", options.docker);
  const rows = ps.stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as PsRow);
  // ps prints labels as one comma-joined string; inspect gives them exactly.
  const inspected = await inspectContainers(
    rows.map((row) => row.ID ?? "").filter((id) => id !== ""),
    { docker: options.docker, method: "cli" },
  );
  const byId = new Map(inspected.map((info) => [info.id, info]));
  const containers: ManagedContainer[] = [];
  for (const row of rows) {
    const info = byId.get(row.ID ?? "");
    if (info === undefined) continue; // removed between ps and inspect
    containers.push({
      id: info.id,
      name: info.name,
      image: row.Image ?? info.image,
      state: info.status,
      status: row.Status ?? info.status,
      serverName: info.labels[MCPPROXY_LABELS.server],
      instanceId: info.labels[MCPPROXY_LABELS.instance],
      labels: info.labels,
    });
  }
  return containers;
}

const IN_PROGRESS = /removal of container (\S+) is already in progress/i;

/** Resolves once another caller's removal of `id` is done (bounded: the caller then reports what is left). */
async function waitUntilRemoved(id: string, docker: DockerCliOptions | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const result = await runDocker(["inspect", "--format", "{{.Id}}", id], { docker });
    if (result.failed && /no such (container|object)/i.test(result.stderr)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `docker rm -f` (stops and removes); ids that no longer exist are ignored, and so is a removal
 * already under way by someone else (two proxies sweeping the same orphans): it is waited for.
 */
export async function removeContainers(
  ids: readonly string[],
  options: { docker?: DockerCliOptions | undefined; method?: EngineMethod | undefined } = {},
): Promise<void> {
  if (ids.length === 0) return;
  const engine = await apiEngine(options.docker, options.method);
  if (engine !== undefined) {
    await viaApi("container remove", () => removeContainersApi(engine, ids));
    return;
  }
  const result = await runDocker(["rm", "-f", ...ids], { docker: options.docker });
  if (!result.failed) return;
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  const inProgress = lines.flatMap((line) => IN_PROGRESS.exec(line)?.[1] ?? []);
  await Promise.all(inProgress.map((id) => waitUntilRemoved(id, options.docker)));
  const unexpected = lines.filter((line) => !/no such container/i.test(line) && !IN_PROGRESS.test(line));
  // Silence is not "already gone": a CLI that timed out or never ran removed nothing.
  if (unexpected.length === 0 && !result.timedOut && result.spawnError === undefined) return;
  const failure = await engineFailure(result, "docker rm -f", options.docker);
  if (failure.code === "ENGINE_UNREACHABLE" || unexpected.length === 0) throw failure;
  throw new LifecycleError(
    "DOCKER_COMMAND_FAILED",
    `docker rm -f failed: ${engineWords(unexpected.join("\n"))}`,
  );
}

export interface SweepOptions {
  /**
   * This proxy's instance id. Its containers that this very process owns are
   * neither removed nor listed in `kept`; a container with the same instance id
   * whose owner died (an id reused after a crash) is removed like any orphan.
   */
  instanceId: string;
  docker?: DockerCliOptions | undefined;
  /** "cli": through the docker CLI; default: the Engine API where the endpoint allows it. */
  method?: EngineMethod | undefined;
}

export interface SweepResult {
  /** Containers whose owner was gone; they were removed. */
  removed: ManagedContainer[];
  /** Containers of other live (or unknown) owners, left alone, with the reason. */
  kept: { container: ManagedContainer; reason: string }[];
}

/**
 * Removes the containers of proxies that are no longer running. Liveness comes
 * from the owner labels (host, boot id, pid, pid start time; see owner.ts), not
 * from instance ids: a container is removed only when its owner is provably
 * gone, so a sweep never touches the containers of a live proxy.
 */
export async function sweepOrphans(options: SweepOptions): Promise<SweepResult> {
  const containers = await listManagedContainers({ docker: options.docker, method: options.method });
  const removed: ManagedContainer[] = [];
  const kept: SweepResult["kept"] = [];
  for (const container of containers) {
    const owner = ownerStatus(container.labels);
    if (owner.alive === false) removed.push(container);
    else if (!(
      owner.alive &&
      container.instanceId === options.instanceId &&
      isOwnedByThisProcess(container.labels)
    )) {
      kept.push({ container, reason: owner.reason });
    }
  }
  await removeContainers(
    removed.map((container) => container.id),
    { docker: options.docker, method: options.method },
  );
  await sweepCidDirs();
  return { removed, kept };
}
