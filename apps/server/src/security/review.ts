// The JSON view of one server's security state: its trust, and every tool with
// whether it is offered, why it is withheld, the diff against the approved
// version and the scanner's findings. What REST, the CLI and the dashboard show
// before a person approves.
import {
  toolKind,
  type Evaluation,
  type ScanFinding,
  type ServerTrust,
  type ToolDefinition,
  type ToolKind,
  type WithholdReason,
} from "@mcpproxy/security";

export interface ReviewedTool {
  name: string;
  status: "offered" | "withheld";
  /** Why it is withheld; null when offered. */
  reason: WithholdReason | null;
  kind: ToolKind;
  description: string | null;
  inputSchema: Record<string, unknown> | null;
  outputSchema: Record<string, unknown> | null;
  annotations: Record<string, unknown> | null;
  findings: ScanFinding[];
  /** Readable diff against the approved version; null when unchanged or never approved. */
  diff: string | null;
}

export interface ServerReview {
  name: string;
  trust: "trusted" | "quarantined";
  trust_changed_by: string;
  trust_changed_at: string;
  trust_reason: string | null;
  pinned_at: string | null;
  /** False until the server listed its tools (not started yet, starting, failed). */
  tools_listed: boolean;
  offered: number;
  withheld: number;
  tools: ReviewedTool[];
  /** The command that approves everything withheld now. */
  approve_command: string;
}

function toolView(
  tool: ToolDefinition,
  findings: ScanFinding[],
  withheld: { reason: WithholdReason; diff: string | null } | undefined,
): ReviewedTool {
  return {
    name: tool.name,
    status: withheld ? "withheld" : "offered",
    reason: withheld?.reason ?? null,
    kind: toolKind(tool),
    description: tool.description ?? null,
    inputSchema: (tool.inputSchema as Record<string, unknown> | undefined) ?? null,
    outputSchema: (tool.outputSchema as Record<string, unknown> | undefined) ?? null,
    annotations: tool.annotations ?? null,
    findings,
    diff: withheld?.diff ?? null,
  };
}

export function reviewOf(
  trust: ServerTrust,
  evaluation: Evaluation<ToolDefinition>,
  toolsListed: boolean,
): ServerReview {
  const withheld = new Map(
    evaluation.withheld.map((w) => [w.key, { reason: w.reason, diff: w.diff?.summary ?? null }]),
  );
  const tools = [...evaluation.offered, ...evaluation.withheld.map((w) => w.definition)]
    .map((tool) => toolView(tool, evaluation.findings[tool.name] ?? [], withheld.get(tool.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: trust.name,
    trust: trust.trust,
    trust_changed_by: trust.changedBy,
    trust_changed_at: trust.changedAt,
    trust_reason: trust.reason ?? null,
    pinned_at: trust.pinnedAt ?? null,
    tools_listed: toolsListed,
    offered: evaluation.offered.length,
    withheld: evaluation.withheld.length,
    tools,
    approve_command: `mcpproxy servers approve ${trust.name}`,
  };
}
