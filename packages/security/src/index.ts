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
