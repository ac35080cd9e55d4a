// GET /api/v1/diagnostics: the @mcpproxy/diagnostics doctor report, completed
// with what only the running proxy knows (each server's live state, and the
// findings from its in-memory exit and error, e.g. an OOMKilled container
// that --rm already removed, and a running server's memory near its limit).
import type { McpProxyConfig } from "@mcpproxy/config";
import type { Finding, LogManager } from "@mcpproxy/diagnostics";
import type { ServerResourceStats } from "@mcpproxy/lifecycle";
import { runDoctor, type DoctorReport } from "./doctor.ts";
import { serverFindings } from "./server-view.ts";
import { stateSentence } from "./upstream-diagnosis.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";

export type LiveDoctorReport = DoctorReport & {
  servers: (DoctorReport["servers"][number] & { state?: string; state_detail?: string })[];
};

export async function liveDoctorReport(
  config: McpProxyConfig,
  logs: LogManager,
  registry: UpstreamRegistry,
  /** A running server's live resource use (for the memory-near-limit finding). */
  statsOf: (name: string) => ServerResourceStats | undefined = () => undefined,
): Promise<LiveDoctorReport> {
  const report: LiveDoctorReport = await runDoctor({ config, logs });
  for (const server of report.servers) {
    const entry = registry.get(server.name);
    if (!entry) continue;
    server.state = entry.state;
    server.state_detail = stateSentence(entry);
    const known = new Set(server.findings.map((f) => f.code));
    const extra: Finding[] = serverFindings(entry, statsOf(server.name)).filter((f) => !known.has(f.code));
    server.findings = [...server.findings, ...extra];
  }
  const byCode: DoctorReport["summary"]["byCode"] = {};
  for (const finding of report.servers.flatMap((s) => s.findings)) {
    byCode[finding.code] = (byCode[finding.code] ?? 0) + 1;
  }
  report.summary = {
    ...report.summary,
    withFindings: report.servers.filter((s) => s.findings.length > 0).length,
    findings: report.servers.reduce((sum, s) => sum + s.findings.length, 0),
    byCode,
  };
  return report;
}
