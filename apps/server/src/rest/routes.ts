// Every REST route as an OpenAPI route definition (method, path, parameters,
// bodies). rest-api.ts attaches the handlers; the document is generated from these.
import { createRoute, z } from "@hono/zod-openapi";
import {
  AnyObject,
  DockerRun,
  ErrorBody,
  LoginBody,
  LogLines,
  PullResult,
  ServerList,
  ServerSchema,
  ServerStats,
  SessionInfo,
  ToolSearchResult,
} from "./schemas.ts";

export const DEFAULT_LOG_TAIL = 100;
export const MAX_LOG_TAIL = 10_000;
export const DEFAULT_TOOL_SEARCH_LIMIT = 15;
export const MAX_TOOL_SEARCH_LIMIT = 100;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
export const error = (description: string) => json(ErrorBody, description);
export const secured: Record<string, string[]>[] = [{ apiKey: [] }, { bearer: [] }, { session: [] }];

export const ServerName = z.object({
  name: z
    .string()
    .min(1)
    .openapi({ param: { name: "name", in: "path" }, example: "github" }),
});

/** "1".."9999…": a positive integer, as text (query strings are text). */
export const positiveInt = z.string().regex(/^[1-9]\d*$/, "must be a positive integer");

export const statusRoute = createRoute({
  method: "get",
  path: "/status",
  summary: "Proxy status: version, instance, listen address, tools mode, config reload state",
  security: secured,
  responses: { 200: json(AnyObject, "The status"), 401: error("Missing or wrong API key") },
});

export const diagnosticsRoute = createRoute({
  method: "get",
  path: "/diagnostics",
  summary: "The doctor report: engine, images, every server's findings with fixes",
  security: secured,
  responses: { 200: json(AnyObject, "The doctor report"), 401: error("Missing or wrong API key") },
});

export const listServersRoute = createRoute({
  method: "get",
  path: "/servers",
  summary: "Every configured server, in config order",
  security: secured,
  responses: { 200: json(ServerList, "The servers"), 401: error("Missing or wrong API key") },
});

export const getServerRoute = createRoute({
  method: "get",
  path: "/servers/{name}",
  summary: "One server",
  security: secured,
  request: { params: ServerName },
  responses: { 200: json(ServerSchema, "The server"), 404: error("No server of that name") },
});

export const serverLogsRoute = createRoute({
  method: "get",
  path: "/servers/{name}/logs",
  summary: "The last log lines of a server (its log file, stderr included)",
  security: secured,
  request: {
    params: ServerName,
    query: z.object({
      tail: positiveInt
        .optional()
        .openapi({ description: `Lines to return (default ${DEFAULT_LOG_TAIL}, at most ${MAX_LOG_TAIL})` }),
    }),
  },
  responses: {
    200: json(LogLines, "The lines, oldest first"),
    400: error("tail is not a positive integer"),
    404: error("No server of that name"),
  },
});

export const followLogsRoute = createRoute({
  method: "get",
  path: "/servers/{name}/logs/follow",
  summary:
    "Follow a server's log (Server-Sent Events): `lines` events, the last `tail` lines first, then each " +
    "line as it is written",
  security: secured,
  request: {
    params: ServerName,
    query: z.object({
      tail: positiveInt.optional().openapi({
        description: `Lines to send first (default ${DEFAULT_LOG_TAIL}, at most ${MAX_LOG_TAIL})`,
      }),
    }),
  },
  responses: {
    200: {
      content: { "text/event-stream": { schema: z.string() } },
      description: "`lines` events, data { lines: string[] }, oldest first",
    },
    400: error("tail is not a positive integer"),
    404: error("No server of that name (or this proxy has no log files to follow)"),
  },
});

const action = (verb: string, summary: string, ok: ReturnType<typeof json>, failures: object = {}) =>
  createRoute({
    method: "post",
    path: `/servers/{name}/${verb}`,
    summary,
    security: secured,
    request: { params: ServerName },
    responses: {
      200: ok,
      403: error("Session without the CSRF token"),
      404: error("No server of that name"),
      ...failures,
    },
  });

export const serverStatsRoute = createRoute({
  method: "get",
  path: "/servers/{name}/stats",
  summary: "Live resource use of the server's container: memory vs limit, CPU vs cpus, pids, IO, OOM kills",
  security: secured,
  request: { params: ServerName },
  responses: {
    200: json(ServerStats, "The latest sample (about one a second); stats null when there is none"),
    404: error("No server of that name"),
  },
});

export const dockerRunRoute = createRoute({
  method: "get",
  path: "/servers/{name}/docker-run",
  summary: "The `docker run` command of the server's current container, secrets masked",
  security: secured,
  request: { params: ServerName },
  responses: {
    200: json(DockerRun, "The command; null when the server runs on the host or has no container yet"),
    404: error("No server of that name"),
  },
});

export const restartRoute = action(
  "restart",
  "Restart one server (a new process or container); answers once it is ready",
  json(ServerSchema, "The server, ready"),
  { 409: error("The server is disabled"), 502: error("The restart did not reach ready") },
);
export const enableRoute = action(
  "enable",
  "Enable a server (persisted in the config file) and start it",
  json(ServerSchema, "The server"),
);
export const disableRoute = action(
  "disable",
  "Disable a server (persisted in the config file) and stop it",
  json(ServerSchema, "The server"),
);
export const pullRoute = action(
  "pull",
  "Pull the server's image again; progress arrives as `pull` events on /events",
  json(PullResult, "The image is pulled"),
  {
    400: error("The server is not isolated (no image)"),
    502: error("The pull failed"),
    503: error("The container engine does not answer"),
  },
);

export const toolSearchRoute = createRoute({
  method: "get",
  path: "/tools",
  summary: "Search every upstream tool, ranked like the retrieve_tools MCP tool",
  security: secured,
  request: {
    query: z.object({
      q: z.string().max(1000).optional().openapi({ description: "Search words; empty lists every tool" }),
      limit: positiveInt.optional().openapi({
        description: `At most this many (default ${DEFAULT_TOOL_SEARCH_LIMIT}, max ${MAX_TOOL_SEARCH_LIMIT})`,
      }),
    }),
  },
  responses: { 200: json(ToolSearchResult, "The best matches, best first") },
});

export const eventsRoute = createRoute({
  method: "get",
  path: "/events",
  summary:
    "Server-Sent Events: a `snapshot` first (or, with Last-Event-ID, the events missed since), then " +
    "`server`, `restart`, `exit`, `pull`, `finding`, `config-reload`, `security`, `status` events",
  security: secured,
  request: {
    headers: z.object({
      "last-event-id": z.string().optional().openapi({ description: "The id of the last event received" }),
    }),
    query: z.object({
      stats: z
        .enum(["true", "false"])
        .optional()
        .openapi({
          description:
            "true: also `stats` events (no id, not replayed): { servers: [{ name, resources }] }, the servers " +
            "whose resource sample changed, about once a second",
        }),
    }),
  },
  responses: {
    200: { content: { "text/event-stream": { schema: z.string() } }, description: "The event stream" },
  },
});

export const getSessionRoute = createRoute({
  method: "get",
  path: "/session",
  summary: "Whether this browser has a dashboard session (no key needed)",
  responses: { 200: json(SessionInfo, "The session state") },
});

export const loginRoute = createRoute({
  method: "post",
  path: "/session",
  summary: "Log the dashboard in: the API key, once, for an HttpOnly SameSite=Strict session cookie",
  request: { body: { content: { "application/json": { schema: LoginBody } }, required: true } },
  responses: { 200: json(SessionInfo, "Logged in"), 401: error("Wrong API key") },
});

export const logoutRoute = createRoute({
  method: "delete",
  path: "/session",
  summary: "Log the dashboard out (ends the session)",
  responses: { 200: json(SessionInfo, "Logged out") },
});
