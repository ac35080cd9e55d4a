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

export function stateColor(colors: Colors, state: string): string {
  switch (state) {
    case "ready":
      return colors.green(state);
    case "failed":
      return colors.red(state);
    case "starting":
    case "restarting":
    case "stopping":
      return colors.yellow(state);
    default:
      return colors.dim(state);
  }
}

/** One table row per server: NAME STATE ISOLATION CONTAINER TOOLS RESTARTS PROBLEM. */
export function serverRow(colors: Colors, server: ServerView): string[] {
  const problem = server.findings[0]?.title ?? (server.state === "failed" ? server.state_detail : "");
  return [
    server.name,
    stateColor(colors, server.state),
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
