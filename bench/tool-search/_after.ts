import { createToolSearchIndex } from "../../packages/tool-search/src/index.ts";
import { loadCorpus, loadQueries, score } from "./evaluate.ts";
const index = createToolSearchIndex();
for (const s of loadCorpus()) index.setServerTools(s.server, s.tools);
const rank = (q: string, n: number) => index.search(q, { limit: n }).map((h) => `${h.server}:${h.tool.name}`);
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
  if (process.argv[2] && (process.argv[2] === "all" || !part))
    for (const m of r.misses) console.log("  ", m.query, "|", m.expected.join(","), "->", m.got.join(","));
}
