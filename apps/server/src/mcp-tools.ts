// The tools the proxy offers to MCP clients. Retrieve mode: retrieve_tools,
// call_tool, upstream_servers. Direct mode: every upstream tool as
// <server>__<tool>, plus upstream_servers.
import type { ToolsMode } from "@mcpproxy/config";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { errorMessage, ProxyError, type ProxyErrorCode } from "./errors.ts";
import { createToolIndex, retrievedTools, type UpstreamTool } from "./tool-index.ts";
import { directToolName, parseQualifiedName } from "./tool-names.ts";
import { lastProblem } from "./upstream-diagnosis.ts";
import type { CallOptions, UpstreamRegistry } from "./upstream-types.ts";

export const DEFAULT_RETRIEVE_LIMIT = 15;
export const MAX_RETRIEVE_LIMIT = 100;

const RetrieveArgs = z.object({
  query: z
    .string()
    .describe("What you want to do, in words: matched against tool names, descriptions and parameters"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_RETRIEVE_LIMIT)
    .optional()
    .describe(`How many tools to return (default ${DEFAULT_RETRIEVE_LIMIT})`),
  server: z
    .string()
    .min(1)
    .optional()
    .describe("Only this upstream server's tools (its name as upstream_servers lists it)"),
});
const CallArgs = z.object({
  name: z.string().describe('The tool to call as "<server>:<tool>", as retrieve_tools returned it'),
  args: z.record(z.string(), z.unknown()).optional().describe("The tool's arguments, per its inputSchema"),
});
const UpstreamArgs = z.object({
  operation: z
    .enum(["list", "logs", "restart"])
    .describe("list: status of every server; logs/restart: need name"),
  name: z.string().optional().describe("Server name (for logs and restart)"),
  tail: z.number().int().min(1).max(1000).optional().describe("Log lines for logs (default 50)"),
});

function inputSchemaOf(schema: z.ZodType): Tool["inputSchema"] {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: "input" });
  return json as Tool["inputSchema"];
}

const RETRIEVE_TOOLS: Tool = {
  name: "retrieve_tools",
  title: "Find upstream tools",
  description:
    "Search the tools of every upstream MCP server behind this proxy. Returns the best matches, ranked, each with " +
    'its name ("<server>:<tool>"), description and inputSchema. Call one with call_tool.',
  inputSchema: inputSchemaOf(RetrieveArgs),
  annotations: { readOnlyHint: true, openWorldHint: false },
};
const CALL_TOOL: Tool = {
  name: "call_tool",
  title: "Call an upstream tool",
  description:
    'Call a tool of an upstream MCP server by the name retrieve_tools gave ("<server>:<tool>"), with its arguments in args.',
  inputSchema: inputSchemaOf(CallArgs),
};
const UPSTREAM_SERVERS: Tool = {
  name: "upstream_servers",
  title: "Upstream servers",
  description:
    "Manage the upstream MCP servers: list (state, tool count, isolation, last error), logs (recent log lines of " +
    "one server), restart (one server).",
  inputSchema: inputSchemaOf(UpstreamArgs),
};

export interface ToolCallContext {
  signal: AbortSignal;
  /** The MCP session id of the caller (for the activity log). */
  session?: string | undefined;
  onProgress?: CallOptions["onProgress"];
}

export interface ToolSearchResult {
  tools: {
    name: string;
    server: string;
    tool: string;
    description: string;
    inputSchema: Tool["inputSchema"];
    kind: "read-only" | "write" | "destructive" | "unknown";
    score: number;
  }[];
  total_tools: number;
}

export interface ToolProvider {
  listTools(): Tool[];
  /** The ranked search of retrieve_tools (also behind GET /api/v1/tools). */
  searchTools(query: string, limit: number, server?: string): ToolSearchResult;
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: ToolCallContext,
  ): Promise<CallToolResult>;
}

export interface ToolProviderOptions {
  registry: UpstreamRegistry;
  mode(): ToolsMode;
  callTimeoutMs(): number;
}

/** A tool result with isError set: the calling model sees the message, the client gets the code in _meta. */
export function errorResult(code: ProxyErrorCode, message: string, server?: string): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: `${code}: ${message}` }],
    _meta: { "io.mcpproxy/error": { code, ...(server === undefined ? {} : { server }) } },
  };
}

function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

function invalidArgs(tool: string, error: z.ZodError): CallToolResult {
  const detail = error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
  return errorResult("BAD_REQUEST", `invalid arguments for ${tool}: ${detail}`);
}

export function createToolProvider(options: ToolProviderOptions): ToolProvider {
  const { registry } = options;
  const index = createToolIndex();
  let indexed: UpstreamTool[] | undefined;
  /** direct name → upstream tool, rebuilt with the index. */
  let directNames = new Map<string, UpstreamTool>();

  function refresh(): UpstreamTool[] {
    if (indexed) return indexed;
    const tools = registry.tools();
    index.replace(tools);
    const names = new Map<string, UpstreamTool>();
    for (const t of tools) {
      let name = directToolName(t.server, t.tool.name);
      // "a__b" + "c" and "a" + "b__c" would collide: the later one gets a hashed name.
      if (names.has(name)) name = directToolName(`${t.server}\u0000`, t.tool.name);
      names.set(name, t);
    }
    directNames = names;
    indexed = tools;
    return tools;
  }
  registry.onToolsChanged(() => {
    indexed = undefined;
  });

  async function route(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    context: ToolCallContext,
  ) {
    try {
      return await registry.callTool(server, tool, args, {
        timeoutMs: options.callTimeoutMs(),
        signal: context.signal,
        onProgress: context.onProgress,
        session: context.session,
      });
    } catch (error) {
      if (error instanceof ProxyError) return errorResult(error.code, error.message, error.server);
      return errorResult("INTERNAL", errorMessage(error), server);
    }
  }

  async function upstreamServers(raw: unknown): Promise<CallToolResult> {
    const parsed = UpstreamArgs.safeParse(raw ?? {});
    if (!parsed.success) return invalidArgs("upstream_servers", parsed.error);
    const { operation, name, tail } = parsed.data;
    if (operation === "list") {
      const servers = registry.list().map((e) => ({
        name: e.name,
        enabled: e.config.enabled,
        state: e.state,
        tool_count: e.tools.length,
        isolated: e.isolation.enabled,
        container: e.handle?.container?.name ?? null,
        last_error: lastProblem(e) ?? null,
      }));
      return jsonResult({ servers });
    }
    if (name === undefined) return errorResult("BAD_REQUEST", `operation "${operation}" needs a server name`);
    if (!registry.get(name))
      return errorResult("SERVER_NOT_FOUND", `no upstream server named "${name}"`, name);
    try {
      if (operation === "logs") return jsonResult({ name, lines: await registry.logs(name, tail ?? 50) });
      await registry.restart(name);
      return jsonResult({ name, state: registry.get(name)?.state ?? "stopped" });
    } catch (error) {
      if (error instanceof ProxyError) return errorResult(error.code, error.message, name);
      return errorResult("INTERNAL", errorMessage(error), name);
    }
  }

  function retrieve(raw: unknown): CallToolResult {
    const parsed = RetrieveArgs.safeParse(raw ?? {});
    if (!parsed.success) return invalidArgs("retrieve_tools", parsed.error);
    const { query, limit, server } = parsed.data;
    if (server !== undefined && !registry.get(server)) {
      return errorResult("SERVER_NOT_FOUND", `no upstream server named "${server}"`, server);
    }
    return jsonResult({ ...searchTools(query, limit ?? DEFAULT_RETRIEVE_LIMIT, server) });
  }

  function searchTools(query: string, limit: number, server?: string): ToolSearchResult {
    refresh();
    const tools = retrievedTools(index.search(query, limit, server));
    return { tools, total_tools: index.size };
  }

  return {
    searchTools,
    listTools() {
      if (options.mode() === "retrieve") return [RETRIEVE_TOOLS, CALL_TOOL, UPSTREAM_SERVERS];
      refresh();
      const direct: Tool[] = [];
      for (const [name, t] of directNames) direct.push({ ...t.tool, name });
      return [...direct, UPSTREAM_SERVERS];
    },

    async callTool(name, args, context) {
      if (name === UPSTREAM_SERVERS.name) return upstreamServers(args);
      if (options.mode() === "retrieve") {
        if (name === RETRIEVE_TOOLS.name) return retrieve(args);
        if (name === CALL_TOOL.name) {
          const parsed = CallArgs.safeParse(args ?? {});
          if (!parsed.success) return invalidArgs("call_tool", parsed.error);
          const target = parseQualifiedName(parsed.data.name);
          if (!target) {
            return errorResult("BAD_REQUEST", `tool name "${parsed.data.name}" is not "<server>:<tool>"`);
          }
          return route(target.server, target.tool, parsed.data.args ?? {}, context);
        }
        return errorResult("UNKNOWN_TOOL", `unknown tool "${name}": use retrieve_tools, then call_tool`);
      }
      refresh();
      const target = directNames.get(name);
      if (!target) return errorResult("UNKNOWN_TOOL", `unknown tool "${name}"`);
      return route(target.server, target.tool.name, args ?? {}, context);
    },
  };
}
