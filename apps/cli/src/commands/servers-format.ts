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

/** One table row per server: NAME STATE ISOLATION CONTAINER TOOLS RESTARTS PROBLEM. */
export function serverRow(colors: Colors, server: ServerView): string[] {
  const problem =
    server.findings[0]?.title ??
    (server.state === "failed" || server.engine_unreachable !== null ? server.state_detail : "");
  return [
    server.name,
    stateColor(colors, server.state, stateLabel(server)),
    server.isolation.enabled ? (server.isolation.image ?? "docker") : `off (${server.isolation.reason})`,
    server.isolation.container_name ?? "-",
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
  "TOOLS",
  "RESTARTS",
  "PROBLEM",
];
