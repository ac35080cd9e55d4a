// Ranked full-text search (BM25+, via MiniSearch) over every upstream tool's
// name, title, description and parameter names: the engine of retrieve_tools.
import MiniSearch from "minisearch";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** One upstream tool as the proxy knows it. */
export interface UpstreamTool {
  server: string;
  tool: Tool;
}

export interface ToolSearchHit {
  server: string;
  tool: Tool;
  score: number;
}

export interface ToolIndex {
  /** Replaces the whole corpus; the index is rebuilt lazily on the next search. */
  replace(tools: readonly UpstreamTool[]): void;
  /** Best matches first; an empty query lists every tool (score 0) by server and name. */
  search(query: string, limit: number): ToolSearchHit[];
  readonly size: number;
}

interface Doc {
  id: string;
  name: string;
  title: string;
  description: string;
  params: string;
  server: string;
}

const SPLIT = /[\s\p{P}\p{S}]+/u;

/** Splits on punctuation and symbols, so `get_weather`, `get-weather` and `a.b` give words. */
function tokenize(text: string): string[] {
  return text.split(SPLIT).filter((t) => t.length > 0);
}

/** Lower-cases a term and adds its camelCase / letter-digit parts: `getWeather2` → getweather2, get, weather, 2. */
function processTerm(term: string): string[] {
  const whole = term.toLowerCase();
  const parts = term
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])(\d)/g, "$1 $2")
    .replace(/(\d)([a-zA-Z])/g, "$1 $2")
    .split(" ")
    .map((p) => p.toLowerCase())
    .filter((p) => p.length > 0 && p !== whole);
  return [whole, ...parts];
}

export function toolKey(server: string, tool: string): string {
  return `${server}:${tool}`;
}

function parameterNames(tool: Tool): string {
  const properties = tool.inputSchema.properties;
  return properties && typeof properties === "object" ? Object.keys(properties).join(" ") : "";
}

export function createToolIndex(): ToolIndex {
  let corpus: UpstreamTool[] = [];
  let byId = new Map<string, UpstreamTool>();
  let index: MiniSearch<Doc> | undefined;

  function build(): MiniSearch<Doc> {
    const search = new MiniSearch<Doc>({
      fields: ["name", "title", "description", "params", "server"],
      tokenize,
      processTerm,
      searchOptions: {
        boost: { name: 3, title: 2, params: 1.5, description: 1, server: 1 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        combineWith: "OR",
      },
    });
    search.addAll(
      corpus.map((t) => ({
        id: toolKey(t.server, t.tool.name),
        name: t.tool.name,
        title: t.tool.title ?? t.tool.annotations?.title ?? "",
        description: t.tool.description ?? "",
        params: parameterNames(t.tool),
        server: t.server,
      })),
    );
    return search;
  }

  return {
    replace(tools) {
      corpus = [...tools];
      byId = new Map(corpus.map((t) => [toolKey(t.server, t.tool.name), t]));
      index = undefined;
    },
    search(query, limit) {
      const max = Math.max(0, Math.floor(limit));
      if (query.trim() === "") {
        return [...corpus]
          .sort((a, b) => a.server.localeCompare(b.server) || a.tool.name.localeCompare(b.tool.name))
          .slice(0, max)
          .map((t) => ({ server: t.server, tool: t.tool, score: 0 }));
      }
      index ??= build();
      const hits: ToolSearchHit[] = [];
      for (const result of index.search(query)) {
        const entry = byId.get(String(result.id));
        if (entry) hits.push({ server: entry.server, tool: entry.tool, score: result.score });
        if (hits.length >= max) break;
      }
      return hits;
    },
    get size() {
      return corpus.length;
    },
  };
}
