// diagnose(evidence): the failure catalogue. Each rule reads the evidence
// (stderr lines, exit state, argv, effective settings, engine facts) and may
// return one finding; findings that are consequences of another are dropped.
import type { DiagnosisEvidence, Finding, FindingCode } from "./findings.ts";
import { buildContext, type RuleContext } from "./rule-context.ts";
import {
  commandNotInImageRule,
  dockerCliMissingRule,
  dockerContextRule,
  dockerInDockerRule,
  engineUnreachableRule,
  imageNotFoundRule,
} from "./rules-engine.ts";
import {
  fileAccessRule,
  networkBlockedRule,
  oomKilledRule,
  packageInstallRule,
  startupTimeoutRule,
} from "./rules-runtime.ts";

export type Rule = (ctx: RuleContext) => Finding | undefined;

/** Rules in report order: engine first, then the container's own failures, timeouts last. */
const RULES: Rule[] = [
  dockerContextRule,
  engineUnreachableRule,
  dockerCliMissingRule,
  imageNotFoundRule,
  dockerInDockerRule,
  commandNotInImageRule,
  packageInstallRule,
  networkBlockedRule,
  fileAccessRule,
  oomKilledRule,
  startupTimeoutRule,
];

/** Findings that make others redundant (the other is a consequence, or the same failure less precisely). */
function superseded(found: ReadonlySet<FindingCode>, ctx: RuleContext): Set<FindingCode> {
  const drop = new Set<FindingCode>();
  if (found.has("docker-context")) drop.add("engine-unreachable");
  if (found.has("docker-context") || found.has("engine-unreachable")) {
    drop.add("image-not-found");
    drop.add("startup-timeout");
    drop.add("docker-cli-missing");
  }
  if (found.has("docker-in-docker")) {
    drop.add("command-not-in-image");
    // The nested docker CLI cannot reach a daemon from inside the container:
    // that is the Docker-in-Docker failure, not a host engine problem.
    if (ctx.evidence.engine?.reachable !== false) drop.add("engine-unreachable");
  }
  if (found.has("image-not-found")) drop.add("startup-timeout");
  if (found.has("package-install-needs-network")) {
    drop.add("network-blocked");
    drop.add("startup-timeout");
  }
  return drop;
}

/**
 * Classifies a server failure. Returns zero or more findings, most
 * fundamental first; each has the evidence it was based on and a concrete fix.
 */
export function diagnose(evidence: DiagnosisEvidence): Finding[] {
  const ctx = buildContext(evidence);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const finding = rule(ctx);
    if (finding) findings.push(finding);
  }
  const drop = superseded(new Set(findings.map((f) => f.code)), ctx);
  return findings.filter((finding) => !drop.has(finding.code));
}
