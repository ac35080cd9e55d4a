// Public API of @mcpproxy/security. Everything exported here is public API.
export { canonicalJson } from "./canonical-json.ts";
export {
  definitionKey,
  PINNED_FIELDS,
  type AnyDefinition,
  type DefinitionKind,
  type PromptDefinition,
  type ResourceDefinition,
  type ToolAnnotations,
  type ToolDefinition,
} from "./definitions.ts";
export { diffFingerprints, type DefinitionDiff, type FieldChange, type TextPart } from "./diff.ts";
export { SecurityError, type SecurityErrorCode } from "./errors.ts";
export { fingerprint, hashPrompt, hashResource, hashTool, type Fingerprint } from "./fingerprint.ts";
export {
  blocksAutoApproval,
  type FindingCode,
  type FindingSpan,
  type ScanFinding,
  type Severity,
} from "./scanner/finding.ts";
export {
  DEFAULT_MAX_DESCRIPTION_LENGTH,
  DEFAULT_MAX_FIELD_LENGTH,
  scanDefinition,
  scanPrompt,
  scanResource,
  scanTool,
  type OtherServerTool,
  type ScanOptions,
} from "./scanner/scan.ts";
export { nameSkeleton } from "./scanner/unicode-rules.ts";
export { REDACTED, redact, summarizeCall, type CallSummary } from "./call-summary.ts";
export {
  approveDefinitions,
  evaluateDefinitions,
  evaluateServerTools,
  withheldMessage,
  type EvaluateInput,
  type Evaluation,
  type TrustState,
  type Withheld,
  type WithholdReason,
} from "./decision.ts";
export {
  ALLOW_POLICIES,
  checkCallPolicy,
  toolKind,
  type AllowPolicy,
  type CallPolicyDecision,
  type ToolKind,
} from "./policy.ts";
export {
  CALL_OUTCOMES,
  DEFAULT_ACTIVITY_LIMIT,
  MAX_ACTIVITY_LIMIT,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityInput,
  type CallOutcome,
} from "./store/activity-log.ts";
export { MIGRATIONS, applyMigrations, schemaVersion, type Migration } from "./store/migrations.ts";
export {
  ACTIVITY_BATCH_ROWS,
  ACTIVITY_FLUSH_MS,
  DEFAULT_MAX_ACTIVITY_BYTES,
  SECURITY_DB_FILE,
  SecurityStore,
  type SecurityStoreOptions,
  type ServerTrust,
} from "./store/security-store.ts";
