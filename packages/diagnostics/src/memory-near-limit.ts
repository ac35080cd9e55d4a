// A running server close to its memory limit (from the engine's stats stream):
// the finding that comes before an OOM kill, with the memory_limit fix.
import { NEAR_MEMORY_LIMIT_PERCENT } from "@mcpproxy/lifecycle";
import type { Finding } from "./findings.ts";
import { doubledMemory, formatMemory } from "./units.ts";

export interface MemoryUse {
  serverName: string;
  usedBytes: number;
  limitBytes: number;
  /** usedBytes / limitBytes × 100 */
  percent: number;
  /** The configured `memory_limit` ("512m"); undefined for the global default. */
  memoryLimit?: string | undefined;
}

/** Memory use above this share of the limit gets the finding (lifecycle's near-limit event uses the same). */
export const MEMORY_NEAR_LIMIT_PERCENT = NEAR_MEMORY_LIMIT_PERCENT;

/** The `memory-near-limit` finding when `use` is above MEMORY_NEAR_LIMIT_PERCENT; undefined otherwise. */
export function memoryNearLimitFinding(use: MemoryUse): Finding | undefined {
  if (use.limitBytes <= 0 || use.percent <= MEMORY_NEAR_LIMIT_PERCENT) return undefined;
  const limit = use.memoryLimit ?? formatMemory(use.limitBytes);
  const suggested = doubledMemory(limit);
  return {
    code: "memory-near-limit",
    title: `Memory near its limit: ${use.percent.toFixed(1)} % of ${limit} in use`,
    evidence: [
      `docker stats: ${formatMemory(use.usedBytes)} used of ${formatMemory(use.limitBytes)} (${use.percent.toFixed(1)} %)`,
    ],
    fix:
      `The server uses more than ${MEMORY_NEAR_LIMIT_PERCENT} % of its container's memory; at the limit the kernel ` +
      `kills it (OOM). Raise this server's \`isolation.memory_limit\` (now ${limit}) to ${suggested}, or find out ` +
      "why it holds so much memory.",
    configSnippet: { mcpServers: [{ name: use.serverName, isolation: { memory_limit: suggested } }] },
  };
}
