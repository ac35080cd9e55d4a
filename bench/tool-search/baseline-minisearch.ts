// The ranking retrieve_tools used before the field-weighted one
// (apps/server/src/tool-index.ts at commit 30a96e3): plain MiniSearch BM25+ over
// name, title, description, parameter names and server, with prefix and fuzzy
// matching. Kept here only as the bench's side-by-side baseline.
import MiniSearch from "minisearch";
import type { CorpusServer } from "./evaluate.ts";

const SPLIT = /[\s\p{P}\p{S}]+/u;

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

/** `server:tool` keys for a query, best first, as the old retrieve_tools ranked them. */
export function baselineRanking(corpus: readonly CorpusServer[]): (query: string, limit: number) => string[] {
  const search = new MiniSearch({
    fields: ["name", "title", "description", "params", "server"],
    tokenize: (text) => text.split(SPLIT).filter((t) => t.length > 0),
    processTerm,
    searchOptions: {
      boost: { name: 3, title: 2, params: 1.5, description: 1, server: 1 },
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      combineWith: "OR",
    },
  });
  search.addAll(
    corpus.flatMap((s) =>
      s.tools.map((tool) => ({
        id: `${s.server}:${tool.name}`,
        name: tool.name,
        title: tool.title ?? tool.annotations?.title ?? "",
        description: tool.description ?? "",
        params: Object.keys(tool.inputSchema.properties ?? {}).join(" "),
        server: s.server,
      })),
    ),
  );
  return (query, limit) =>
    search
      .search(query)
      .slice(0, limit)
      .map((r) => String(r.id));
}
