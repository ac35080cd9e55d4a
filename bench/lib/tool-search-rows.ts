// Rows of the retrieve_tools scenario (#6): the ranking beside the previous
// one on the same queries, answer size beside the full tool list, and timing.
import type { RankingScores, ToolSearchResult } from "../scenarios/tool-search.ts";
import { ms, ratio, verdict, type Row } from "./report.ts";

type PartScore = RankingScores["all"];

const fixed = (x: number) => x.toFixed(3);

function qualityRows(label: string, after: PartScore, before: PartScore, targets: boolean): Row[] {
  const metric = (name: string, pick: (s: PartScore) => number, target: number | undefined): Row => ({
    id: "6",
    measure: `retrieve_tools ${name}, ${label} (${after.queries} queries)`,
    ours: fixed(pick(after)),
    baseline: `${fixed(pick(before))} (previous ranking)`,
    compared: `${pick(after) - pick(before) >= 0 ? "+" : ""}${fixed(pick(after) - pick(before))}`,
    target: target === undefined ? "—" : `≥ ${target.toFixed(2)}`,
    verdict: target === undefined ? "info" : verdict(pick(after) >= target, fixed(pick(after))),
  });
  return [
    metric("recall@1", (s) => s.recallAt1, targets ? 0.8 : undefined),
    metric("recall@5", (s) => s.recallAt5, targets ? 0.95 : undefined),
    metric("MRR", (s) => s.mrr, undefined),
  ];
}

function costRows(r: ToolSearchResult): Row[] {
  const { incremental, rebuild } = r.updateMs;
  const tokenRow = (limit: number, mean: number, extra: string): Row => ({
    id: "6",
    measure: `Tokens per retrieve_tools answer (limit ${limit}, mean${extra})`,
    ours: mean.toFixed(0),
    baseline: `${r.tokens.fullList} (full tools/list)`,
    compared: ratio(mean / r.tokens.fullList),
    target: "—",
    verdict: "info",
  });
  return [
    tokenRow(r.tokens.limit, r.tokens.answerMean, `; max ${r.tokens.answerMax.toFixed(0)}`),
    tokenRow(5, r.tokens.answerMeanAt5, ""),
    {
      id: "6",
      measure: `Search over ${r.largeIndexTools} tools (limit 15), wall time p50 (p99 ${ms(r.searchMs.wall.p99)})`,
      ours: ms(r.searchMs.wall.p50),
      baseline: "—",
      compared: "—",
      target: "≤ 1 ms",
      verdict: verdict(r.searchMs.wall.p50 <= 1, ms(r.searchMs.wall.p50)),
    },
    {
      id: "6",
      measure: `Search over ${r.largeIndexTools} tools, CPU time p99 (p50 ${ms(r.searchMs.cpu.p50)})`,
      ours: ms(r.searchMs.cpu.p99),
      baseline: "—",
      compared: "—",
      target: "≤ 2 ms",
      verdict: verdict(r.searchMs.cpu.p99 <= 2, ms(r.searchMs.cpu.p99)),
    },
    {
      id: "6",
      measure: `One server's tool changed: index update over ${r.largeIndexTools} tools, CPU time p50`,
      ours: ms(incremental.cpu.p50),
      baseline: `${ms(rebuild.cpu.p50)} (full rebuild)`,
      compared: ratio(incremental.cpu.p50 / rebuild.cpu.p50),
      target: "< rebuild",
      verdict: verdict(incremental.cpu.p50 < rebuild.cpu.p50, ratio(incremental.cpu.p50 / rebuild.cpu.p50)),
    },
  ];
}

export function toolSearchRows(r: ToolSearchResult): Row[] {
  return [
    ...qualityRows(`all, ${r.tools} tools of ${r.servers} servers`, r.after.all, r.before.all, true),
    ...qualityRows("tuning part", r.after.tuning, r.before.tuning, false),
    ...qualityRows("held-out part", r.after.heldOut, r.before.heldOut, false),
    ...costRows(r),
  ];
}
