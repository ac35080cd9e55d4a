// The JSON the proxy's REST API answers with (apps/server: server-view.ts,
// rest-api.ts), as far as the CLI prints it.
import type { ServerView } from "@mcpproxy/server";
import type { Colors } from "../io.ts";

export type { ServerView };

export interface ServersResponse {
  servers: ServerView[];
}

export interface LogsResponse {
  name: string;
  lines: string[];
}

/** `text` (default: the state) in the state's colour. */
export function stateColor(colors: Colors, state: string, text = state): string {
  switch (state) {
    case "ready":
      return colors.green(text);
    case "failed":
      return colors.red(text);
    case "starting":
    case "pulling":
    case "preparing":
    case "restarting":
    case "stopping":
      return colors.yellow(text);
    default:
      return colors.dim(text);
  }
}

/** What the STATE column says: the engine outage, or the pull's/prepare's progress, where they apply. */
export function stateLabel(
  server: Pick<ServerView, "state" | "engine_unreachable" | "pull" | "prepare">,
): string {
  if (server.engine_unreachable !== null && server.state === "restarting") return "engine unreachable";
  const prepare = server.prepare;
  if (server.state === "preparing" && prepare !== null) {
    return prepare.step === null
      ? `preparing (${prepare.phase})`
      : `preparing step ${prepare.step}/${prepare.total_steps ?? "?"}`;
  }
  const pull = server.pull;
  if (server.state === "pulling" && pull !== null) {
    const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
    const bytes = pull.bytes_total > 0 ? ` ${mb(pull.bytes_done)}/${mb(pull.bytes_total)} MB` : "";
    return `pulling ${pull.layers_done}/${pull.layers} layers${bytes}`;
  }
  return server.state;
}

const MiB = 1024 * 1024;

/** "45.2 MiB" */
export function mebibytes(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** MEM column: "45.2/512.0 MiB (8.8%)"; "-" without stats. */
export function memoryCell(resources: ServerView["resources"]): string {
  if (resources === null) return "-";
  const { used_bytes, limit_bytes, percent } = resources.memory;
  return `${(used_bytes / MiB).toFixed(1)}/${(limit_bytes / MiB).toFixed(1)} MiB (${percent.toFixed(1)}%)`;
}

/** CPU column: "12.5% of 0.5" (of the cpus limit: 25 % of it in use); "-" without stats. */
export function cpuCell(resources: ServerView["resources"]): string {
  if (resources === null) return "-";
  const { percent, limit_cpus } = resources.cpu;
  return limit_cpus === null ? `${percent.toFixed(1)}%` : `${percent.toFixed(1)}% of ${limit_cpus}`;
}

/** The warning line for a server above 90 % of its memory limit; undefined otherwise. */
export function nearLimitWarning(
  server: Pick<ServerView, "name" | "resources" | "isolation">,
): string | undefined {
  const memory = server.resources?.memory;
  if (memory === undefined || memory.limit_bytes <= 0 || memory.percent <= 90) return undefined;
  const limit = server.isolation.memory_limit ?? mebibytes(memory.limit_bytes);
  return `warning: ${server.name} uses ${memory.percent.toFixed(1)}% of its memory limit (${mebibytes(memory.used_bytes)} of ${limit}); raise its isolation.memory_limit before it is OOM-killed (see \`mcpproxy doctor\`)`;
}

/** One table row per server: NAME STATE ISOLATION CONTAINER MEM CPU TOOLS RESTARTS PROBLEM. */
export function serverRow(colors: Colors, server: ServerView): string[] {
  const problem =
    server.findings[0]?.title ??
    (server.state === "failed" || server.engine_unreachable !== null ? server.state_detail : "");
  return [
    server.name,
    stateColor(colors, server.state, stateLabel(server)),
    server.isolation.enabled ? (server.isolation.image ?? "docker") : `off (${server.isolation.reason})`,
    server.isolation.container_name ?? "-",
    memoryCell(server.resources),
    cpuCell(server.resources),
    String(server.tool_count),
    String(server.restarts),
    problem,
  ];
}

export const SERVER_TABLE_HEADER = [
  "NAME",
  "STATE",
  "ISOLATION",
  "CONTAINER",
  "MEM",
  "CPU",
  "TOOLS",
  "RESTARTS",
  "PROBLEM",
];
