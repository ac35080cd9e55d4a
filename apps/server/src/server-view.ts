// The JSON of one server in the REST API (GET /api/v1/servers[/{name}]).
import { memoryNearLimitFinding, type Finding } from "@mcpproxy/diagnostics";
import type { PullStatus, ServerResourceStats } from "@mcpproxy/lifecycle";
import { resourcesView, type ResourcesView } from "./resource-use.ts";
import { resolveImage } from "@mcpproxy/runtime-detect";
import { prepareErrorFields, prepareView, preparedView } from "./prepare/prepare-view.ts";
import { findingsOf, shortMessageOf, stateSentence } from "./upstream-diagnosis.ts";
import type { UpstreamEntry } from "./upstream-types.ts";

/** The pin of a server's prepared image, from the image's labels. */
export interface PreparedView {
  image: string;
  image_id: string;
  package: string;
  version: string;
  integrity: string;
  runner: string;
  /** Every installed package: [{ name, version, integrity }]. */
  packages: { name: string; version: string; integrity: string }[];
}

/** `prepare` of a server in state `preparing`: the build's progress. */
export interface PrepareView {
  image: string;
  started_at: string;
  /** base-image | resolve | build | tag | reused | done */
  phase: string;
  step: number | null;
  total_steps: number | null;
  message: string;
}

export interface IsolationView {
  enabled: boolean;
  /** global-enabled | server-enabled | global-disabled | server-disabled | container-runtime-command */
  reason: string;
  detail: string;
  image: string | null;
  container_id: string | null;
  container_name: string | null;
  memory_limit: string | null;
  cpu_limit: string | null;
  network_mode: string | null;
  /** Prepared image (isolation.prepare / docker_isolation.prepare) and what is pinned in it, once built. */
  prepared: PreparedView | null;
}

function imageOf(entry: UpstreamEntry): string | null {
  if (!entry.isolation.enabled) return null;
  if (entry.handle?.container) return entry.handle.container.image;
  try {
    // Only the image is shown: resolve it, rather than building the whole argv per request.
    return resolveImage(entry.config.command, entry.isolation).image;
  } catch {
    return entry.isolation.image ?? null;
  }
}

export function isolationView(entry: UpstreamEntry): IsolationView {
  const iso = entry.isolation;
  if (!iso.enabled) {
    return {
      enabled: false,
      reason: iso.reason,
      detail: iso.detail,
      image: null,
      container_id: null,
      container_name: null,
      memory_limit: null,
      cpu_limit: null,
      network_mode: null,
      prepared: null,
    };
  }
  const explicit = entry.config.isolation?.enabled === true;
  // A failed or stopped server has no current container (lifecycle may still name the last one, removed).
  const live =
    entry.state === "ready" ||
    entry.state === "starting" ||
    entry.state === "restarting" ||
    entry.state === "pulling" ||
    entry.state === "preparing";
  const container = live ? entry.handle?.container : undefined;
  return {
    enabled: true,
    reason: explicit ? "server-enabled" : "global-enabled",
    detail: explicit
      ? "isolation.enabled is true for this server"
      : "docker_isolation.enabled is true and this server does not opt out",
    image: imageOf(entry),
    container_id: container?.id ?? null,
    container_name: container?.name ?? null,
    memory_limit: iso.memory_limit,
    cpu_limit: iso.cpu_limit,
    network_mode: iso.network_mode,
    prepared: preparedView(entry.handle),
  };
}

/** `last_error` of a server: the typed error's code, its one-line message, the start phase. */
export interface ErrorView {
  code: string;
  message: string;
  phase?: string;
  /** A failed prepare: the installer's (npm/pip) own error lines. */
  installer_lines?: string[];
  /** A failed prepare: what to do about it. */
  fix?: string;
}

/** `last_exit` of a server: how its process/container last ended. */
export interface ExitView {
  at: string;
  exit_code: number | null;
  signal: string | null;
  oom_killed: boolean;
  reason: string;
}

/** `pull` of a server in state `pulling`: the (shared) image pull's progress. */
export interface PullView {
  image: string;
  started_at: string;
  layers: number;
  layers_done: number;
  bytes_done: number;
  /** Sum of the sizes known so far (layers announce theirs as they start). */
  bytes_total: number;
  status: string;
}

/** One server in the REST API (GET /api/v1/servers[/{name}]); the CLI prints this shape. */
export interface ServerView {
  name: string;
  enabled: boolean;
  /** stopped | preparing | pulling | starting | ready | restarting | failed | stopping | disabled */
  state: string;
  /** e.g. "failed: container was OOMKilled (memory limit 64m)" */
  state_detail: string;
  tool_count: number;
  command: string;
  isolation: IsolationView;
  restarts: number;
  /** While `pulling`: layers and bytes of the image pull. */
  pull: PullView | null;
  /** While `preparing`: the prepared image's build. */
  prepare: PrepareView | null;
  /** The engine's error while it does not answer (the server comes back by itself when it does). */
  engine_unreachable: string | null;
  /** The last exited container, kept for `docker logs`/`docker inspect` until the server starts again. */
  kept_container: string | null;
  last_error: ErrorView | null;
  last_exit: ExitView | null;
  /** Live resource use of a running isolated server (the engine's stats); null otherwise. */
  resources: ResourcesView | null;
  findings: Finding[];
}

function errorView(error: Error | undefined): ErrorView | null {
  if (!error) return null;
  const { code, phase } = error as { code?: unknown; phase?: unknown };
  return {
    code: typeof code === "string" ? code : error.name,
    message: shortMessageOf(error),
    ...(typeof phase === "string" ? { phase } : {}),
    ...prepareErrorFields(error),
  };
}

function pullView(pull: PullStatus | undefined): PullView | null {
  if (pull === undefined) return null;
  return {
    image: pull.image,
    started_at: pull.startedAt.toISOString(),
    layers: pull.layers,
    layers_done: pull.layersDone,
    bytes_done: pull.bytesDone,
    bytes_total: pull.bytesTotal,
    status: pull.status,
  };
}

/** The findings of a server: its failure's, plus memory near the limit while it runs. */
export function serverFindings(entry: UpstreamEntry, stats?: ServerResourceStats): Finding[] {
  const findings = findingsOf(entry);
  if (stats === undefined || !entry.isolation.enabled) return findings;
  const near = memoryNearLimitFinding({
    serverName: entry.name,
    usedBytes: stats.memory.usedBytes,
    limitBytes: stats.memory.limitBytes,
    percent: stats.memory.percent,
    memoryLimit: entry.isolation.memory_limit,
  });
  return near === undefined ? findings : [...findings, near];
}

/**
 * `stats`: the server's live resource use, when known. (The event stream's views
 * leave it out: it changes every second.)
 */
export function serverView(entry: UpstreamEntry, stats?: ServerResourceStats): ServerView {
  const handle = entry.handle;
  const exit = handle?.lastExit;
  return {
    name: entry.name,
    enabled: entry.config.enabled,
    state: entry.state,
    state_detail: stateSentence(entry),
    tool_count: entry.tools.length,
    command: entry.config.command,
    isolation: isolationView(entry),
    restarts: handle?.restarts ?? 0,
    pull: pullView(handle?.pull),
    prepare: prepareView(handle),
    engine_unreachable: handle?.engineUnreachable ?? null,
    kept_container: handle?.keptContainer ?? null,
    last_error: errorView(handle?.lastError),
    last_exit:
      exit === undefined
        ? null
        : {
            at: exit.at.toISOString(),
            exit_code: exit.exitCode,
            signal: exit.signal ?? null,
            oom_killed: exit.oomKilled ?? false,
            reason: exit.reason,
          },
    resources: resourcesView(stats),
    findings: serverFindings(entry, stats),
  };
}

/** GET /servers/{name}/stats: the latest sample, or why there is none. */
export function serverStatsAnswer(
  entry: UpstreamEntry,
  stats: ServerResourceStats | undefined,
): { name: string; state: string; stats: ResourcesView | null; detail: string } {
  const detail = !entry.isolation.enabled
    ? "the server runs on the host, not in a container: no container stats"
    : entry.state !== "ready"
      ? `the server is ${entry.state}: stats come from its running container`
      : stats === undefined
        ? "the container's stats stream is opening; ask again in a second"
        : "from the engine's stats stream (about one sample a second)";
  return { name: entry.name, state: entry.state, stats: resourcesView(stats), detail };
}
