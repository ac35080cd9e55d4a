import type { ToolDefinition } from "./definitions.ts";
import { SecurityError } from "./errors.ts";

/** What a tool does, from its MCP annotations (hints the server gives, not guarantees). */
export type ToolKind = "read-only" | "write" | "destructive" | "unknown";

/** Per-server call policy: `read-only` lets only tools annotated `readOnlyHint: true` through. */
export type AllowPolicy = "all" | "read-only";

export const ALLOW_POLICIES: readonly AllowPolicy[] = ["all", "read-only"];

/**
 * Kind label for retrieve_tools results and the policy check. Follows the MCP defaults:
 * `destructiveHint` only means something when `readOnlyHint` is false; a tool with no
 * annotations at all is `unknown` (the spec says assume it may write and destroy).
 */
export function toolKind(tool: Pick<ToolDefinition, "annotations">): ToolKind {
  const hints = tool.annotations;
  if (hints?.readOnlyHint === true) return "read-only";
  if (hints?.destructiveHint === true) return "destructive";
  if (hints?.readOnlyHint === false) return hints.destructiveHint === false ? "write" : "destructive";
  if (hints?.destructiveHint === false) return "write";
  return "unknown";
}

export type CallPolicyDecision =
  | { allowed: true; kind: ToolKind }
  | { allowed: false; kind: ToolKind; code: "POLICY_READ_ONLY"; message: string };

/** Decides whether `tool` of `server` may be called under the server's `allow` policy. */
export function checkCallPolicy(
  policy: { server: string; allow: AllowPolicy },
  tool: Pick<ToolDefinition, "name" | "annotations">,
): CallPolicyDecision {
  if (!ALLOW_POLICIES.includes(policy.allow)) {
    throw new SecurityError(
      "INVALID_ARGUMENT",
      `allow for server "${policy.server}" is ${JSON.stringify(policy.allow)}; use "all" or "read-only"`,
    );
  }
  const kind = toolKind(tool);
  if (policy.allow === "all" || kind === "read-only") return { allowed: true, kind };
  const why =
    kind === "unknown"
      ? "has no readOnlyHint annotation, so it may write"
      : kind === "write"
        ? "is annotated as writing (readOnlyHint: false)"
        : "is annotated as destructive";
  return {
    allowed: false,
    kind,
    code: "POLICY_READ_ONLY",
    message:
      `Refused: server "${policy.server}" allows only read-only tools (allow: "read-only") and tool ` +
      `"${tool.name}" ${why}. To permit it, set "allow": "all" for server "${policy.server}".`,
  };
}
