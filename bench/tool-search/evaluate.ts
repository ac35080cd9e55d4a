// Scores a tool ranking on the pinned corpus (corpus/*.json: real tools/list
// answers of published servers) and the labelled task phrasings
// (queries.tsv): recall@1, recall@5 and MRR per part (tuning / held out).
import { readdirSync, readFileSync } from "node:fs";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export interface CorpusServer {
  server: string;
  package: string;
  version: string;
  tools: Tool[];
}

export interface LabelledQuery {
  query: string;
  /** `server:tool` keys; a hit on any of them counts. */
  expected: string[];
  heldOut: boolean;
}

/** A ranking under test: the `server:tool` keys it answers, best first. */
export type Rank = (query: string, limit: number) => string[];

export interface PartScore {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  /** Queries whose first hit was wrong: where a right tool came (1-based, null past the 10th) and the top 3. */
  misses: { query: string; expected: string[]; position: number | null; got: string[] }[];
}

const dir = new URL("./", import.meta.url);

export function loadCorpus(): CorpusServer[] {
  const files = readdirSync(new URL("./corpus/", dir)).filter((f) => f.endsWith(".json"));
  return files
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(`./corpus/${f}`, dir), "utf8")) as CorpusServer);
}

export function loadQueries(): LabelledQuery[] {
  const lines = readFileSync(new URL("./queries.tsv", dir), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  return lines.map((line, i) => {
    const [query = "", labels = ""] = line.split("\t");
    const expected = labels.split(" ").filter(Boolean);
    if (query === "" || expected.length === 0)
      throw new Error(`queries.tsv line "${line}": needs query<TAB>labels`);
    return { query, expected, heldOut: (i + 1) % 3 === 0 };
  });
}

/** Throws when a label names no tool of the corpus (a typo there would silently count as a miss). */
export function checkLabels(corpus: readonly CorpusServer[], queries: readonly LabelledQuery[]): void {
  const known = new Set(corpus.flatMap((s) => s.tools.map((t) => `${s.server}:${t.name}`)));
  for (const q of queries) {
    const unknown = q.expected.filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new Error(`queries.tsv "${q.query}": ${unknown.join(", ")} is not a tool of the corpus`);
    }
  }
}

export function score(queries: readonly LabelledQuery[], rank: Rank): PartScore {
  let at1 = 0;
  let at5 = 0;
  let reciprocal = 0;
  const misses: PartScore["misses"] = [];
  for (const q of queries) {
    const got = rank(q.query, 10);
    const position = got.findIndex((key) => q.expected.includes(key));
    if (position === 0) at1++;
    if (position >= 0 && position < 5) at5++;
    if (position >= 0) reciprocal += 1 / (position + 1);
    if (position !== 0) {
      misses.push({
        query: q.query,
        expected: q.expected,
        position: position === -1 ? null : position + 1,
        got: got.slice(0, 3),
      });
    }
  }
  const n = Math.max(1, queries.length);
  return { queries: queries.length, recallAt1: at1 / n, recallAt5: at5 / n, mrr: reciprocal / n, misses };
}
