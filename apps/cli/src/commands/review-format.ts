// How `servers show|approve|quarantine` print a server's security review: its
// trust, then each tool with its status, kind, description, input schema,
// scanner findings and the diff against what was approved.
import type { ReviewedTool, ServerReview } from "@mcpproxy/server";
import type { Colors } from "../io.ts";

export type { ServerReview };

function statusText(colors: Colors, tool: ReviewedTool): string {
  if (tool.status === "offered") return colors.green("offered");
  const text = `withheld (${tool.reason ?? "?"})`;
  return tool.reason === "poisoned" ? colors.red(text) : colors.yellow(text);
}

function indent(text: string, prefix: string): string[] {
  return text.split("\n").map((line) => `${prefix}${line}`);
}

/** The lines of one tool; withheld tools carry everything a reviewer needs. */
export function toolLines(colors: Colors, tool: ReviewedTool, full: boolean): string[] {
  const lines = [`  ${colors.bold(tool.name)}  ${statusText(colors, tool)}  ${colors.dim(tool.kind)}`];
  if (!full && tool.status === "offered" && tool.findings.length === 0) return lines;
  if (tool.description !== null) lines.push(...indent(tool.description, "    "));
  if (tool.inputSchema !== null) lines.push(`    input: ${JSON.stringify(tool.inputSchema)}`);
  if (tool.annotations !== null) lines.push(`    annotations: ${JSON.stringify(tool.annotations)}`);
  for (const finding of tool.findings) {
    const severity =
      finding.severity === "high" ? colors.red(finding.severity) : colors.yellow(finding.severity);
    lines.push(`    ${severity} ${finding.code}: ${finding.message}`);
    lines.push(
      colors.dim(
        `      at ${finding.span.field} [${finding.span.start}-${finding.span.end}]: ${finding.span.excerpt}`,
      ),
    );
  }
  if (tool.diff !== null) lines.push("    changed since approval:", ...indent(tool.diff, "      "));
  return lines;
}

export function reviewLines(colors: Colors, review: ServerReview, full: boolean): string[] {
  const trust = review.trust === "trusted" ? colors.green("trusted") : colors.yellow("quarantined");
  const why = review.trust_reason === null ? "" : ` (${review.trust_reason})`;
  const lines = [
    `${colors.bold(review.name)}: ${trust}${why}, by ${review.trust_changed_by} at ${review.trust_changed_at}`,
    `  ${review.offered} tool(s) offered, ${review.withheld} withheld`,
  ];
  if (!review.tools_listed)
    lines.push(colors.yellow("  the server has not listed its tools yet (not ready)"));
  for (const tool of review.tools) lines.push(...toolLines(colors, tool, full));
  if (review.withheld > 0) lines.push("", `Approve with: ${review.approve_command} [--tool NAME]…`);
  return lines;
}
