// retrieve_tools through the tool provider, over a registry double that only
// holds tool lists (no upstreams run: ranking and arguments are what is tested).
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createToolProvider } from "../src/mcp-tools.ts";
import type { UpstreamTool } from "../src/tool-index.ts";
import type { UpstreamEntry, UpstreamRegistry } from "../src/upstream-types.ts";

function tool(name: string, description: string): Tool {
  return { name, description, inputSchema: { type: "object", properties: { q: { type: "string" } } } };
}

function registryOf(tools: UpstreamTool[]): UpstreamRegistry {
  const servers = new Set(tools.map((t) => t.server));
  const unused = () => {
    throw new Error("not used by retrieve_tools");
  };
  return {
    list: () => [],
    // retrieve_tools only asks whether a server exists.
    get: (name) => (servers.has(name) ? ({ name } as Partial<UpstreamEntry> as UpstreamEntry) : undefined),
    tools: () => tools,
    onToolsChanged: () => () => undefined,
    callTool: unused,
    restart: unused,
    logs: unused,
    describeUnavailable: unused,
  };
}

const provider = createToolProvider({
  registry: registryOf([
    { server: "github", tool: tool("search_issues", "Search issues and pull requests.") },
    { server: "sentry", tool: tool("search_issues", "Search error issues.") },
  ]),
  mode: () => "retrieve",
  callTimeoutMs: () => 1000,
});
const context = { signal: new AbortController().signal };

async function names(args: Record<string, unknown>): Promise<string[]> {
  const result = await provider.callTool("retrieve_tools", args, context);
  expect(result.isError).toBeFalsy();
  return (result.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
}

describe("retrieve_tools", () => {
  it("offers an optional server argument", () => {
    const retrieve = provider.listTools().find((t) => t.name === "retrieve_tools");
    expect(Object.keys(retrieve?.inputSchema.properties ?? {})).toEqual(["query", "limit", "server"]);
    expect(retrieve?.inputSchema.required).toEqual(["query"]);
  });

  it("ranks the tools of the server the query names first", async () => {
    expect((await names({ query: "search issues in sentry" }))[0]).toBe("sentry:search_issues");
    expect((await names({ query: "search issues on GitHub" }))[0]).toBe("github:search_issues");
  });

  it("filters by server", async () => {
    expect(await names({ query: "search issues", server: "sentry" })).toEqual(["sentry:search_issues"]);
  });

  it("names an unknown server in the error", async () => {
    const result = await provider.callTool("retrieve_tools", { query: "issues", server: "gitlab" }, context);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/SERVER_NOT_FOUND: no upstream server named \\"gitlab\\"/);
  });
});
