// GET /api/v1/diagnostics: the @mcpproxy/diagnostics doctor report, completed
// with what only the running proxy knows (each server's live state, and the
// findings from its in-memory exit and error, e.g. an OOMKilled container
// that --rm already removed).
import type { McpProxyConfig } from "@mcpproxy/config";
import type { Finding, LogManager } from "@mcpproxy/diagnostics";
import { runDoctor, type DoctorReport } from "./doctor.ts";
import { findingsOf, stateSentence } from "./upstream-diagnosis.ts";
import type { UpstreamRegistry } from "./upstream-types.ts";

export type LiveDoctorReport = DoctorReport & {
  servers: (DoctorReport["servers"][number] & { state?: string; state_detail?: string })[];
};

export async function liveDoctorReport(
  config: McpProxyConfig,
  logs: LogManager,
  registry: UpstreamRegistry,
): Promise<LiveDoctorReport> {
  const report: LiveDoctorReport = await runDoctor({ config, logs });
  for (const server of report.servers) {
    const entry = registry.get(server.name);
    if (!entry) continue;
    server.state = entry.state;
    server.state_detail = stateSentence(entry);
    const known = new Set(server.findings.map((f) => f.code));
    const extra: Finding[] = findingsOf(entry).filter((f) => !known.has(f.code));
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
