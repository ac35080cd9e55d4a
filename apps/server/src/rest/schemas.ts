// The zod schemas of the REST API's bodies: the OpenAPI document is generated
// from them. The `Check*` types below make the compiler prove that each schema
// and the TypeScript type the server actually builds stay the same shape.
import type { Finding } from "@mcpproxy/diagnostics";
import { z } from "@hono/zod-openapi";
import type { ServerView } from "../server-view.ts";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "SERVER_NOT_FOUND" }),
      message: z.string().openapi({ example: 'no server named "x" in the config' }),
    }),
  })
  .openapi("Error");

export const ConfigSnippet = z
  .object({
    docker_isolation: z.record(z.string(), z.unknown()).optional(),
    mcpServers: z.array(z.looseObject({ name: z.string() })).optional(),
  })
  .openapi("ConfigSnippet", { description: "A fragment of mcp_config.json to merge into the config" });

export const FindingSchema = z
  .object({
    code: z.string().openapi({ example: "oom-killed" }),
    title: z.string(),
    evidence: z.array(z.string()),
    fix: z.string(),
    configSnippet: ConfigSnippet.optional(),
  })
  .openapi("Finding");

export const IsolationSchema = z
  .object({
    enabled: z.boolean(),
    reason: z.string().openapi({ example: "global-enabled" }),
    detail: z.string(),
    image: z.string().nullable(),
    container_id: z.string().nullable(),
    container_name: z.string().nullable(),
    memory_limit: z.string().nullable(),
    cpu_limit: z.string().nullable(),
    network_mode: z.string().nullable(),
    prepared: z
      .object({
        image: z.string().openapi({ example: "mcpproxy-prepared/memory:0123456789abcdef" }),
        image_id: z.string(),
        package: z.string(),
        version: z.string(),
        integrity: z.string(),
        runner: z.string(),
        packages: z.array(z.object({ name: z.string(), version: z.string(), integrity: z.string() })),
      })
      .nullable()
      .openapi({ description: "The prepared image this server runs and what is pinned in it" }),
  })
  .openapi("Isolation");

export const ResourcesSchema = z
  .object({
    at: z.string().openapi({ description: "When the engine took the sample" }),
    memory: z.object({ used_bytes: z.number(), limit_bytes: z.number(), percent: z.number() }),
    cpu: z.object({
      percent: z.number().openapi({ description: "100 = one full CPU, as `docker stats`" }),
      limit_cpus: z.number().nullable(),
      percent_of_limit: z.number().nullable().openapi({ description: "Share of the `cpus` limit in use" }),
    }),
    pids: z.object({ current: z.number().int(), limit: z.number().int().nullable() }),
    network: z.object({ rx_bytes: z.number(), tx_bytes: z.number() }),
    block_io: z.object({ read_bytes: z.number(), write_bytes: z.number() }),
    oom_kills: z.number().int(),
  })
  .openapi("Resources");

export const ServerStats = z
  .object({
    name: z.string(),
    state: z.string(),
    stats: ResourcesSchema.nullable().openapi({
      description: "null when the server is not running in a container (or before the first sample)",
    }),
    detail: z.string(),
  })
  .openapi("ServerStats");

export const ServerSchema = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    state: z.string().openapi({
      description:
        "stopped | preparing | pulling | starting | ready | restarting | failed | stopping | disabled",
      example: "ready",
    }),
    state_detail: z.string(),
    tool_count: z.number().int(),
    command: z.string(),
    isolation: IsolationSchema,
    restarts: z.number().int(),
    prepare: z
      .object({
        image: z.string(),
        started_at: z.string(),
        phase: z.string(),
        step: z.number().int().nullable(),
        total_steps: z.number().int().nullable(),
        message: z.string(),
      })
      .nullable()
      .optional()
      .openapi({ description: "While preparing: the prepared image's build progress" }),
    last_error: z
      .object({
        code: z.string(),
        message: z.string(),
        phase: z.string().optional(),
        installer_lines: z.array(z.string()).optional(),
        fix: z.string().optional(),
      })
      .nullable(),
    last_exit: z
      .object({
        at: z.string(),
        exit_code: z.number().int().nullable(),
        signal: z.string().nullable(),
        oom_killed: z.boolean(),
        reason: z.string(),
      })
      .nullable(),
    resources: ResourcesSchema.nullable(),
    findings: z.array(FindingSchema),
  })
  .openapi("Server");

export const ServerList = z.object({ servers: z.array(ServerSchema) }).openapi("ServerList");

export const LogLines = z.object({ name: z.string(), lines: z.array(z.string()) }).openapi("LogLines");

export const ToolHit = z
  .object({
    name: z.string().openapi({ description: '"<server>:<tool>", as retrieve_tools names it' }),
    server: z.string(),
    tool: z.string(),
    description: z.string(),
    inputSchema: z.record(z.string(), z.unknown()),
    kind: z.enum(["read-only", "write", "destructive", "unknown"]).openapi({
      description: "From the tool's readOnlyHint/destructiveHint annotations",
    }),
    score: z.number(),
  })
  .openapi("ToolHit");

export const ToolSearchResult = z
  .object({ tools: z.array(ToolHit), total_tools: z.number().int() })
  .openapi("ToolSearchResult");

export const DockerRun = z
  .object({
    name: z.string(),
    argv: z.array(z.string()).nullable().openapi({ description: "The arguments after `docker`, masked" }),
    command: z
      .string()
      .nullable()
      .openapi({ example: "docker run -i --rm --memory 512m --network none node:22 npx -y x" }),
  })
  .openapi("DockerRun");

export const PullResult = z
  .object({ name: z.string(), image: z.string(), status: z.literal("pulled") })
  .openapi("PullResult");

export const SessionInfo = z
  .object({
    authenticated: z.boolean(),
    key_required: z.boolean(),
    csrf_token: z.string().nullable().openapi({
      description: "Send it back as X-CSRF-Token on POSTs authenticated by the session cookie",
    }),
  })
  .openapi("Session");

export const LoginBody = z.object({ api_key: z.string().min(1).max(4096) }).openapi("Login");

/** Free-form JSON objects (status, doctor report): documented as objects, not re-validated. */
export const AnyObject = z.record(z.string(), z.unknown());

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time proof that the schemas describe what the server sends.
export type CheckServer =
  Same<z.infer<typeof ServerSchema>["isolation"], ServerView["isolation"]> extends true
    ? ServerView extends z.infer<typeof ServerSchema>
      ? true
      : never
    : never;
export type CheckFinding = Finding extends z.infer<typeof FindingSchema> ? true : never;
export const schemasMatch: [CheckServer, CheckFinding] = [true, true];
