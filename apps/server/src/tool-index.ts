// The engine of retrieve_tools: @mcpproxy/tool-search's ranked index, fed with
// the registry's flat tool list. replace() hands each server's list over on its
// own, so a change on one server re-indexes only that server's changed tools.
import { toolKind, type ToolKind } from "@mcpproxy/security";
import { createToolSearchIndex, type ServerToolsChange, type ToolSearchHit } from "@mcpproxy/tool-search";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** One upstream tool as the proxy knows it. */
export interface UpstreamTool {
  server: string;
  tool: Tool;
}

export type { ToolSearchHit };

export interface ToolIndex {
  /** Sets the whole corpus; only tools that changed are re-indexed. Returns what changed, summed over servers. */
  replace(tools: readonly UpstreamTool[]): ServerToolsChange;
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
  /** From the tool's annotations: "read-only", "write", "destructive" or "unknown". */
  kind: ToolKind;
  score: number;
}

export function retrievedTools(hits: readonly ToolSearchHit[]): RetrievedTool[] {
  return hits.map((h) => ({
    name: `${h.server}:${h.tool.name}`,
    server: h.server,
    tool: h.tool.name,
    description: h.tool.description ?? "",
    inputSchema: h.tool.inputSchema,
    kind: toolKind(h.tool),
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
      const total: ServerToolsChange = { added: 0, updated: 0, removed: 0, unchanged: 0 };
      for (const server of index.servers()) {
        if (byServer.has(server)) continue;
        total.removed += index.removeServer(server);
      }
      for (const [server, list] of byServer) {
        const change = index.setServerTools(server, list);
        total.added += change.added;
        total.updated += change.updated;
        total.removed += change.removed;
        total.unchanged += change.unchanged;
      }
      return total;
    },
    search(query, limit, server) {
      return index.search(query, { limit, server });
    },
    get size() {
      return index.size;
    },
  };
}
