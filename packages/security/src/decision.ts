import type { AnyDefinition, DefinitionKind, ToolDefinition } from "./definitions.ts";
import { diffFingerprints, type DefinitionDiff } from "./diff.ts";
import { fingerprint, type Fingerprint } from "./fingerprint.ts";
import { blocksAutoApproval, type ScanFinding } from "./scanner/finding.ts";
import { SecurityError } from "./errors.ts";
import { scanDefinition, type OtherServerTool, type ScanOptions } from "./scanner/scan.ts";

/** Whether a person trusted the server. Quarantined servers run but offer nothing. */
export type TrustState = "trusted" | "quarantined";

/** Why a definition is not offered to clients. */
export type WithholdReason = "new" | "changed" | "quarantined" | "poisoned";

export interface Withheld<T> {
  definition: T;
  key: string;
  reason: WithholdReason;
  /** Present when the definition differs from its approved baseline. */
  diff?: DefinitionDiff;
  findings: ScanFinding[];
}

export interface Evaluation<T> {
  /** Definitions clients may see and call. */
  offered: T[];
  withheld: Withheld<T>[];
  /** Scanner findings per key (every definition, offered or not). */
  findings: Record<string, ScanFinding[]>;
  /** Fingerprints the caller must store as the baseline now (trust on first use of a trusted
   *  server with no baseline yet, clean definitions only). Empty otherwise. */
  pin: Fingerprint[];
  /** Current fingerprint of every definition, by key. */
  fingerprints: Record<string, Fingerprint>;
}

export interface EvaluateInput<T> {
  server: string;
  trust: TrustState;
  /** The approved fingerprints, or `null` when this server was never pinned. */
  baseline: readonly Fingerprint[] | null;
  definitions: readonly T[];
  otherServersTools?: readonly OtherServerTool[];
  scan?: Omit<ScanOptions, "otherServersTools">;
}

/**
 * Decides which of a server's definitions are offered. Rules, in order:
 * quarantined server → all withheld; pinned and unchanged → offered (a person approved exactly
 * this); high-severity findings → withheld as `poisoned`; never pinned (trusted) → offered and
 * pinned now; otherwise `new` or `changed` (with a diff) until approved.
 */
export function evaluateDefinitions<T extends AnyDefinition>(
  kind: DefinitionKind,
  input: EvaluateInput<T>,
): Evaluation<T> {
  const pinned = new Map(
    (input.baseline ?? []).filter((entry) => entry.kind === kind).map((entry) => [entry.key, entry]),
  );
  const result: Evaluation<T> = { offered: [], withheld: [], findings: {}, pin: [], fingerprints: {} };
  const scanOptions: ScanOptions = { ...input.scan, otherServersTools: input.otherServersTools ?? [] };
  for (const definition of input.definitions) {
    const current = fingerprint(kind, definition);
    const findings = scanDefinition(kind, definition, scanOptions);
    result.findings[current.key] = findings;
    result.fingerprints[current.key] = current;
    const approved = pinned.get(current.key);
    const withhold = (reason: WithholdReason): void => {
      const diff =
        approved !== undefined && approved.hash !== current.hash
          ? diffFingerprints(approved, current)
          : undefined;
      result.withheld.push({ definition, key: current.key, reason, findings, ...(diff ? { diff } : {}) });
    };
    if (input.trust === "quarantined") withhold("quarantined");
    else if (approved?.hash === current.hash) result.offered.push(definition);
    else if (blocksAutoApproval(findings)) withhold("poisoned");
    else if (input.baseline === null) {
      result.offered.push(definition);
      result.pin.push(current);
    } else withhold(approved === undefined ? "new" : "changed");
  }
  return result;
}

export const evaluateServerTools = (input: EvaluateInput<ToolDefinition>): Evaluation<ToolDefinition> =>
  evaluateDefinitions("tool", input);

/**
 * What to store when a person approves: the fingerprints of the given definitions (all of them,
 * or only `keys`). Approval is explicit, so findings do not block it; they are shown before.
 */
export function approveDefinitions(
  kind: DefinitionKind,
  definitions: readonly AnyDefinition[],
  keys?: readonly string[],
): Fingerprint[] {
  const wanted = keys === undefined ? undefined : new Set(keys);
  const approved = definitions.map((definition) => fingerprint(kind, definition));
  if (wanted === undefined) return approved;
  const known = new Set(approved.map((entry) => entry.key));
  const missing = [...wanted].filter((key) => !known.has(key));
  if (missing.length > 0) {
    throw new SecurityError(
      "INVALID_ARGUMENT",
      `cannot approve ${missing.map((key) => `"${key}"`).join(", ")}: the server does not offer ${missing.length === 1 ? "it" : "them"} now (offered: ${[...known].join(", ") || "none"})`,
    );
  }
  return approved.filter((entry) => wanted.has(entry.key));
}

const REASON_TEXT: Readonly<Record<WithholdReason, string>> = {
  new: "it is new since the server's tools were approved",
  changed: "its definition changed since it was approved",
  quarantined: "the server is quarantined",
  poisoned: "the security scanner found instructions or characters that can manipulate the model",
};

/** The refusal for calling a withheld definition: why, and the commands that resolve it. */
export function withheldMessage(server: string, withheld: Pick<Withheld<unknown>, "key" | "reason">): string {
  const approve =
    withheld.reason === "quarantined"
      ? `mcpproxy servers approve ${server}`
      : `mcpproxy servers approve ${server} --tool ${withheld.key}`;
  return (
    `Refused: "${withheld.key}" of server "${server}" is withheld because ${REASON_TEXT[withheld.reason]}. ` +
    `Review it with \`mcpproxy servers show ${server}\` and approve it with \`${approve}\` (or in the REST API).`
  );
}
