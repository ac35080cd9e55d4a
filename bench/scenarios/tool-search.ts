// retrieve_tools quality and cost on real servers' tools: recall@1, recall@5
// and MRR of the ranking (and of the previous one, side by side) on the
// labelled task phrasings, tokens of an answer vs the full tool list, search
// time over 1 000+ tools, and one server's update vs a full rebuild.
import { performance } from "node:perf_hooks";
import { countTokens } from "gpt-tokenizer";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { createToolIndex, retrievedTools, type UpstreamTool } from "@mcpproxy/server";
import { baselineRanking } from "../tool-search/baseline-minisearch.ts";
import {
  checkLabels,
  loadCorpus,
  loadQueries,
  score,
  type LabelledQuery,
  type PartScore,
  type Rank,
} from "../tool-search/evaluate.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface RankingScores {
  tuning: PartScore;
  heldOut: PartScore;
  all: PartScore;
}

export interface ToolSearchResult {
  servers: number;
  tools: number;
  after: RankingScores;
  before: RankingScores;
  /** o200k tokens: the whole tools/list vs a retrieve_tools answer (default limit), mean over queries. */
  tokens: { fullList: number; answerMean: number; answerMax: number; limit: number; answerMeanAt5: number };
  /** Tools in the index searched for the timing rows. */
  largeIndexTools: number;
  searchMs: { wall: Summary; cpu: Summary };
  /** replace() with one server's one tool changed vs building the index anew, same tools. */
  updateMs: { incremental: { wall: Summary; cpu: Summary }; rebuild: { wall: Summary; cpu: Summary } };
}

const RETRIEVE_LIMIT = 15; // DEFAULT_RETRIEVE_LIMIT of apps/server/src/mcp-tools.ts

function scores(queries: LabelledQuery[], rank: Rank): RankingScores {
  return {
    tuning: score(
      queries.filter((q) => !q.heldOut),
      rank,
    ),
    heldOut: score(
      queries.filter((q) => q.heldOut),
      rank,
    ),
    all: score(queries, rank),
  };
}

/** The corpus copied under other server names until it holds at least `min` tools. */
function enlarged(tools: UpstreamTool[], min: number): UpstreamTool[] {
  const out: UpstreamTool[] = [];
  for (let copy = 0; out.length < min; copy++) {
    for (const t of tools) out.push({ server: `${t.server}-${copy}`, tool: t.tool });
  }
  return out;
}

/** Wall time and CPU time (user + system, immune to being preempted on a busy machine) per call, in ms. */
function timed(rounds: number, perRound: number, body: (i: number) => void): { wall: Summary; cpu: Summary } {
  const wall: number[][] = [];
  const cpu: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const wallRound: number[] = [];
    const cpuRound: number[] = [];
    for (let i = 0; i < perRound; i++) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      body(i);
      wallRound.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpuRound.push((used.user + used.system) / 1000);
    }
    wall.push(wallRound);
    cpu.push(cpuRound);
  }
  return { wall: summarize(wall), cpu: summarize(cpu) };
}

export function toolSearch(rounds: number, log: (line: string) => void): ToolSearchResult {
  const corpus = loadCorpus();
  const queries = loadQueries();
  checkLabels(corpus, queries);
  const tools = corpus.flatMap((s) => s.tools.map((tool) => ({ server: s.server, tool })));
  const index = createToolIndex();
  index.replace(tools);
  const rank: Rank = (q, limit) => index.search(q, limit).map((h) => `${h.server}:${h.tool.name}`);
  const after = scores(queries, rank);
  const before = scores(queries, baselineRanking(corpus));
  log(`tool search: ${tools.length} tools of ${corpus.length} servers, ${queries.length} queries`);

  const fullList = countTokens(JSON.stringify({ tools: tools.map((t) => t.tool) }));
  const answerTokens = (query: string, limit: number) =>
    countTokens(
      JSON.stringify({ tools: retrievedTools(index.search(query, limit)), total_tools: index.size }, null, 2),
    );
  const answers = queries.map((q) => answerTokens(q.query, RETRIEVE_LIMIT));
  const answersAt5 = queries.map((q) => answerTokens(q.query, 5));

  const large = enlarged(tools, 1000);
  const largeIndex = createToolIndex();
  largeIndex.replace(large);
  for (const q of queries) largeIndex.search(q.query, RETRIEVE_LIMIT); // warm-up
  const searchMs = timed(rounds, queries.length, (i) => largeIndex.search(queries[i]!.query, RETRIEVE_LIMIT));

  const target = large[0]!;
  let flip = 0;
  const changedOnce = (): UpstreamTool[] => {
    const tool: Tool = {
      ...target.tool,
      description: `${target.tool.description ?? ""} (revision ${flip++})`,
    };
    return large.map((t) => (t === target ? { server: t.server, tool } : t));
  };
  const incremental = timed(rounds, 20, () => largeIndex.replace(changedOnce()));
  const rebuild = timed(rounds, 20, () => createToolIndex().replace(large));
  return {
    servers: corpus.length,
    tools: tools.length,
    after,
    before,
    tokens: {
      fullList,
      answerMean: answers.reduce((a, b) => a + b, 0) / answers.length,
      answerMax: Math.max(...answers),
      limit: RETRIEVE_LIMIT,
      answerMeanAt5: answersAt5.reduce((a, b) => a + b, 0) / answersAt5.length,
    },
    largeIndexTools: large.length,
    searchMs,
    updateMs: { incremental, rebuild },
  };
}
