import { createToolIndex } from "../../packages/tool-search/src/_old.ts";
import { loadCorpus, loadQueries, score } from "./evaluate.ts";
const index = createToolIndex();
index.replace(loadCorpus().flatMap((s) => s.tools.map((tool) => ({ server: s.server, tool }))));
const rank = (q: string, n: number) => index.search(q, n).map((h) => `${h.server}:${h.tool.name}`);
const qs = loadQueries();
for (const part of [false, true]) {
  const r = score(
    qs.filter((q) => q.heldOut === part),
    rank,
  );
  console.log(
    part ? "heldout" : "tuning",
    r.queries,
    r.recallAt1.toFixed(3),
    r.recallAt5.toFixed(3),
    r.mrr.toFixed(3),
  );
  if (process.argv[2])
    for (const m of r.misses) console.log("  ", m.query, "|", m.expected.join(","), "->", m.got.join(","));
}
