// The ranked index behind retrieve_tools: BM25+ per field (MiniSearch) over the
// fields of fields.ts, weighted name > title > first sentence > server > rest >
// parameters; a server the query names boosts that server's tools. Updated
// per server, so one server's new tool list re-indexes only what changed.
import MiniSearch from "minisearch";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { analyze, termsOfWord, words } from "./analyze.ts";
import { toolFields, type ToolFields } from "./fields.ts";

export interface ToolSearchHit {
  server: string;
  tool: Tool;
  score: number;
}

export interface SearchOptions {
  /** How many hits at most. */
  limit: number;
  /** Only this server's tools. */
  server?: string | undefined;
}

/** What setServerTools did: counts of tools indexed anew, re-indexed, dropped and left as they were. */
export interface ServerToolsChange {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export interface ToolSearchIndex {
  /** Sets one server's tools: only added, removed or changed tools are (re)indexed. */
  setServerTools(server: string, tools: readonly Tool[]): ServerToolsChange;
  /** Drops one server's tools; returns how many. */
  removeServer(server: string): number;
  /** Best first; equal scores by server then tool name. An empty query lists tools by server and name. */
  search(query: string, options: SearchOptions): ToolSearchHit[];
  /** Servers currently indexed. */
  servers(): string[];
  readonly size: number;
}

/** Field weights: how much a query word found in each field counts. */
export const FIELD_BOOST: Readonly<Record<keyof ToolFields, number>> = {
  name: 4,
  title: 3,
  summary: 2,
  server: 2,
  details: 0.6,
  params: 0.3,
};
const FIELD_NAMES = Object.keys(FIELD_BOOST) as (keyof ToolFields)[];

/** Score factor for the tools of a server the query names ("… on GitHub"). */
export const SERVER_MATCH_BOOST = 2.5;

interface Entry {
  server: string;
  tool: Tool;
  /** Distinct index terms of the tool's fields, for the vocabulary counts. */
  terms: string[];
  /** JSON of what is indexed, to tell a changed tool from an unchanged one. */
  signature: string;
}

const idOf = (server: string, tool: string) => `${server}\u0000${tool}`;

const byServerThenName = (a: ToolSearchHit, b: ToolSearchHit) =>
  a.server < b.server
    ? -1
    : a.server > b.server
      ? 1
      : a.tool.name < b.tool.name
        ? -1
        : a.tool.name > b.tool.name
          ? 1
          : 0;

/** A query word the index does not know may be a typo: it also matches known terms this close (edit distance as a share of its length). */
const TYPO_DISTANCE = 0.2;

function newMiniSearch(isKnown: (term: string) => boolean): MiniSearch<ToolFields & { id: string }> {
  return new MiniSearch<ToolFields & { id: string }>({
    fields: FIELD_NAMES,
    tokenize: words,
    processTerm: (term) => {
      const terms = termsOfWord(term);
      return terms.length > 0 ? terms : null;
    },
    searchOptions: {
      boost: { ...FIELD_BOOST },
      // Stemming already joins the forms of a word; prefix matching only added
      // noise and time. Fuzzy matching runs only for words no tool contains.
      prefix: false,
      fuzzy: (term) => (term.length >= 5 && !isKnown(term) ? TYPO_DISTANCE : false),
      combineWith: "OR",
      weights: { fuzzy: 0.5, prefix: 0.3 },
    },
  });
}

export function createToolSearchIndex(): ToolSearchIndex {
  /** How many tools contain each index term. */
  const vocabulary = new Map<string, number>();
  const mini = newMiniSearch((term) => vocabulary.has(term));
  const entries = new Map<string, Entry>();
  const toolsOfServer = new Map<string, Set<string>>();
  /** Index terms of each server's name, for the server boost. */
  const serverTerms = new Map<string, Set<string>>();

  function count(terms: readonly string[], delta: 1 | -1): void {
    for (const term of terms) {
      const n = (vocabulary.get(term) ?? 0) + delta;
      if (n > 0) vocabulary.set(term, n);
      else vocabulary.delete(term);
    }
  }

  function discard(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    count(entry.terms, -1);
    entries.delete(id);
    mini.discard(id);
  }

  function setServerTools(server: string, tools: readonly Tool[]): ServerToolsChange {
    const change: ServerToolsChange = { added: 0, updated: 0, removed: 0, unchanged: 0 };
    const previous = toolsOfServer.get(server) ?? new Set<string>();
    const next = new Set<string>();
    for (const tool of tools) {
      const id = idOf(server, tool.name);
      if (next.has(id)) continue; // a duplicate name: the first one wins, as in tools/list order
      next.add(id);
      const old = entries.get(id);
      if (old?.tool === tool) {
        change.unchanged++; // the very same object: nothing to compare
        continue;
      }
      const fields = toolFields(server, tool);
      const signature = JSON.stringify(fields);
      if (old?.signature === signature) {
        old.tool = tool;
        change.unchanged++;
        continue;
      }
      if (old) discard(id);
      change[old ? "updated" : "added"]++;
      const terms = [...new Set(FIELD_NAMES.flatMap((field) => analyze(fields[field])))];
      count(terms, 1);
      entries.set(id, { server, tool, signature, terms });
      mini.add({ id, ...fields });
    }
    for (const id of previous) {
      if (next.has(id)) continue;
      discard(id);
      change.removed++;
    }
    toolsOfServer.set(server, next);
    serverTerms.set(server, new Set(analyze(server)));
    return change;
  }

  function removeServer(server: string): number {
    const ids = toolsOfServer.get(server) ?? new Set<string>();
    for (const id of ids) discard(id);
    toolsOfServer.delete(server);
    serverTerms.delete(server);
    return ids.size;
  }

  function listAll(server: string | undefined, limit: number): ToolSearchHit[] {
    const hits: ToolSearchHit[] = [];
    for (const e of entries.values()) {
      if (server === undefined || e.server === server)
        hits.push({ server: e.server, tool: e.tool, score: 0 });
    }
    return hits.sort(byServerThenName).slice(0, limit);
  }

  /** The servers whose whole name the query contains ("… on GitHub", "in google maps"). */
  function namedServers(query: string): { named: Set<string>; terms: Set<string> } {
    const queryTerms = new Set(analyze(query));
    const named = new Set<string>();
    const terms = new Set<string>();
    for (const [server, nameTerms] of serverTerms) {
      if (nameTerms.size === 0 || ![...nameTerms].every((t) => queryTerms.has(t))) continue;
      named.add(server);
      for (const t of nameTerms) terms.add(t);
    }
    return { named, terms };
  }

  /**
   * The query less the words that name a server: "on GitHub" says where, not
   * what, so a tool merely named after GitHub on another server gains nothing.
   */
  function whatToFind(query: string, serverNameTerms: Set<string>): string {
    const kept = words(query).filter((w) => termsOfWord(w).some((t) => !serverNameTerms.has(t)));
    return kept.length > 0 ? kept.join(" ") : query;
  }

  function search(query: string, options: SearchOptions): ToolSearchHit[] {
    const limit = Math.max(0, Math.floor(options.limit));
    const { server } = options;
    if (analyze(query).length === 0) return query.trim() === "" ? listAll(server, limit) : [];
    const { named, terms } = namedServers(query);
    const what = whatToFind(query, terms);
    // The words naming a server still match that server's `server` field, so
    // its tools are candidates even when nothing else in the query fits them.
    const where = words(query).filter((w) => termsOfWord(w).every((t) => terms.has(t)));
    const tree =
      where.length === 0
        ? what
        : { combineWith: "OR" as const, queries: [what, { queries: [where.join(" ")], fields: ["server"] }] };
    const results = mini.search(
      tree,
      server === undefined ? {} : { filter: (r) => String(r.id).startsWith(`${server}\u0000`) },
    );
    const hits: ToolSearchHit[] = [];
    for (const result of results) {
      const entry = entries.get(String(result.id));
      if (!entry) continue;
      const score = named.has(entry.server) ? result.score * SERVER_MATCH_BOOST : result.score;
      hits.push({ server: entry.server, tool: entry.tool, score });
    }
    return hits.sort((a, b) => b.score - a.score || byServerThenName(a, b)).slice(0, limit);
  }

  return {
    setServerTools,
    removeServer,
    search,
    servers: () => [...toolsOfServer.keys()].sort(),
    get size() {
      return entries.size;
    },
  };
}
