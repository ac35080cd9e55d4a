// Rows of the retrieve_tools scenario (#6): the ranking beside the previous
// one on the same queries, answer size beside the full tool list, and timing.
import type { RankingScores, ToolSearchResult } from "../scenarios/tool-search.ts";
import { ms, ratio, verdict, type Row } from "./report.ts";

const fixed = (x: number) => x.toFixed(3);

function qualityRows(
  label: string,
  after: RankingScores["all"],
  before: RankingScores["all"],
  targets: boolean,
): Row[] {
  const metric = (
    name: string,
    pick: (s: RankingScores["all"]) => number,
    target: number | undefined,
  ): Row => ({
    id: "6",
    measure: `retrieve_tools ${name}, ${label} (${after.queries} queries)`,
    ours: fixed(pick(after)),
    baseline: `${fixed(pick(before))} (previous ranking)`,
    compared: `${pick(after) - pick(before) >= 0 ? "+" : ""}${fixed(pick(after) - pick(before))}`,
    target: target === undefined ? "—" : `≥ ${target.toFixed(2)}`,
    verdict: target === undefined ? "info" : verdict(pick(after) >= target, `${fixed(pick(after))}`),
  });
  return [
    metric("recall@1", (s) => s.recallAt1, targets ? 0.8 : undefined),
    metric("recall@5", (s) => s.recallAt5, targets ? 0.95 : undefined),
    metric("MRR", (s) => s.mrr, undefined),
  ];
}

export function toolSearchRows(r: ToolSearchResult): Row[] {
  const { incremental, rebuild } = r.updateMs;
  return [
    ...qualityRows(`all, ${r.tools} tools of ${r.servers} servers`, r.after.all, r.before.all, true),
    ...qualityRows("tuning part", r.after.tuning, r.before.tuning, false),
    ...qualityRows("held-out part", r.after.heldOut, r.before.heldOut, false),
    {
      id: "6",
      measure: `Tokens per retrieve_tools answer (limit ${r.tokens.limit}, mean; max ${r.tokens.answerMax.toFixed(0)})`,
      ours: r.tokens.answerMean.toFixed(0),
      baseline: `${r.tokens.fullList} (full tools/list)`,
      compared: ratio(r.tokens.answerMean / r.tokens.fullList),
      target: "—",
      verdict: "info",
    },
    {
      id: "6",
      measure: "Tokens per retrieve_tools answer (limit 5, mean)",
      ours: r.tokens.answerMeanAt5.toFixed(0),
      baseline: `${r.tokens.fullList} (full tools/list)`,
      compared: ratio(r.tokens.answerMeanAt5 / r.tokens.fullList),
      target: "—",
      verdict: "info",
    },
    {
      id: "6",
      measure: `Search over ${r.largeIndexTools} tools, p99 (p50 ${ms(r.searchMs.p50)})`,
      ours: ms(r.searchMs.p99),
      baseline: "—",
      compared: "—",
      target: "≤ 1 ms",
      verdict: verdict(r.searchMs.p99 <= 1, ms(r.searchMs.p99)),
    },
    {
      id: "6",
      measure: `One server's tool changed: index update over ${r.largeIndexTools} tools, p50`,
      ours: ms(incremental.p50),
      baseline: `${ms(rebuild.p50)} (full rebuild)`,
      compared: ratio(incremental.p50 / rebuild.p50),
      target: "< rebuild",
      verdict: verdict(incremental.p50 < rebuild.p50, ratio(incremental.p50 / rebuild.p50)),
    },
  ];
}
