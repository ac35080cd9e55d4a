import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";
import {
  definitionKey,
  PINNED_FIELDS,
  type AnyDefinition,
  type DefinitionKind,
  type PromptDefinition,
  type ResourceDefinition,
  type ToolDefinition,
} from "./definitions.ts";
import { SecurityError } from "./errors.ts";

/** What is pinned for one tool/prompt/resource: its key, SHA-256 and the hashed canonical JSON. */
export interface Fingerprint {
  kind: DefinitionKind;
  /** Tool/prompt name, or resource URI. */
  key: string;
  /** Lower-case hex SHA-256 of `canonical`. */
  hash: string;
  /** Canonical JSON of the pinned fields (kept so a later change can be shown as a diff). */
  canonical: string;
}

/** Fingerprints one definition: only the pinned fields of its kind count, in any key order. */
export function fingerprint(kind: DefinitionKind, definition: AnyDefinition): Fingerprint {
  const key = definitionKey(kind, definition);
  if (key === "") {
    const field = kind === "resource" ? "uri (or uriTemplate)" : "name";
    throw new SecurityError(
      "INVALID_DEFINITION",
      `a ${kind} definition has no ${field}; every ${kind} needs one`,
    );
  }
  const record = definition as unknown as Record<string, unknown>;
  const pinned: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS[kind]) pinned[field] = record[field];
  const canonical = canonicalJson(pinned);
  return { kind, key, hash: createHash("sha256").update(canonical).digest("hex"), canonical };
}

export const hashTool = (tool: ToolDefinition): Fingerprint => fingerprint("tool", tool);
export const hashPrompt = (prompt: PromptDefinition): Fingerprint => fingerprint("prompt", prompt);
export const hashResource = (resource: ResourceDefinition): Fingerprint => fingerprint("resource", resource);
