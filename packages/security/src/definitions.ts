// The MCP shapes this package reads. Structural on purpose: SDK objects (Tool, Prompt,
// Resource) fit without a dependency on the SDK, and unknown extra fields are ignored.

/** MCP tool annotations (hints, never guarantees: they come from the server). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

/** A tool as listed by tools/list. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: ToolAnnotations;
}

/** A prompt as listed by prompts/list. */
export interface PromptDefinition {
  name: string;
  title?: string;
  description?: string;
  arguments?: readonly { name: string; description?: string; required?: boolean }[];
}

/** A resource (or resource template) as listed by resources/list. */
export interface ResourceDefinition {
  uri?: string;
  uriTemplate?: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

/** Which MCP list a definition came from; baselines are kept per kind. */
export type DefinitionKind = "tool" | "prompt" | "resource";

export type AnyDefinition = ToolDefinition | PromptDefinition | ResourceDefinition;

/** The fields that are pinned (hashed) per kind; anything else a server sends is ignored. */
export const PINNED_FIELDS: Readonly<Record<DefinitionKind, readonly string[]>> = {
  tool: ["name", "title", "description", "inputSchema", "outputSchema", "annotations"],
  prompt: ["name", "title", "description", "arguments"],
  resource: ["uri", "uriTemplate", "name", "title", "description", "mimeType"],
};

/** The key a definition is pinned under: the name for tools and prompts, the URI for resources. */
export function definitionKey(kind: DefinitionKind, definition: AnyDefinition): string {
  const record = definition as unknown as Record<string, unknown>;
  const key = kind === "resource" ? (record.uri ?? record.uriTemplate) : record.name;
  return typeof key === "string" ? key : "";
}
