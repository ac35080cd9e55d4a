// The engine of retrieve_tools: @mcpproxy/tool-search's ranked index, fed with
// the registry's flat tool list. replace() hands each server's list over on its
// own, so a change on one server re-indexes only that server's changed tools.
import { createToolSearchIndex, type ToolSearchHit } from "@mcpproxy/tool-search";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** One upstream tool as the proxy knows it. */
export interface UpstreamTool {
  server: string;
  tool: Tool;
}

export type { ToolSearchHit };

export interface ToolIndex {
  /** Sets the whole corpus; servers whose tools did not change are left as indexed. */
  replace(tools: readonly UpstreamTool[]): void;
  /** Best matches first (ties by server, then name); an empty query lists tools by server and name. */
  search(query: string, limit: number, server?: string): ToolSearchHit[];
  readonly size: number;
}

/** One entry of a retrieve_tools answer: what a model needs to pick the tool and call it. */
export interface RetrievedTool {
  name: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: Tool["inputSchema"];
  score: number;
}

export function retrievedTools(hits: readonly ToolSearchHit[]): RetrievedTool[] {
  return hits.map((h) => ({
    name: `${h.server}:${h.tool.name}`,
    server: h.server,
    tool: h.tool.name,
    description: h.tool.description ?? "",
    inputSchema: h.tool.inputSchema,
    score: Math.round(h.score * 1000) / 1000,
  }));
}

export function createToolIndex(): ToolIndex {
  const index = createToolSearchIndex();
  return {
    replace(tools) {
      const byServer = new Map<string, Tool[]>();
      for (const t of tools) {
        const list = byServer.get(t.server);
        if (list) list.push(t.tool);
        else byServer.set(t.server, [t.tool]);
      }
      for (const server of index.servers()) if (!byServer.has(server)) index.removeServer(server);
      for (const [server, list] of byServer) index.setServerTools(server, list);
    },
    search(query, limit, server) {
      return index.search(query, { limit, server });
    },
    get size() {
      return index.size;
    },
  };
}
