import type { AnyDefinition, DefinitionKind } from "../definitions.ts";

/** One piece of text a server sends that reaches the model. */
export interface TextField {
  path: string;
  text: string;
  /** Identifier-like fields (names, property keys): confusable checks apply, prose rules too. */
  isName: boolean;
}

// Schema keywords whose string values are structure, not prose for the model.
const STRUCTURAL_KEYS = new Set(["type", "$schema", "$ref", "$id", "format", "required"]);

/** Every string of a definition the model reads: names, descriptions, and all schema text
 *  (property keys, descriptions, defaults, enums) — full-schema poisoning hides there too. */
export function textFields(kind: DefinitionKind, definition: AnyDefinition): TextField[] {
  const record = definition as unknown as Record<string, unknown>;
  const fields: TextField[] = [];
  const add = (path: string, value: unknown, isName = false): void => {
    if (typeof value === "string" && value !== "") fields.push({ path, text: value, isName });
  };
  add("name", record.name, true);
  add("title", record.title);
  add("description", record.description);
  if (kind === "tool") {
    const annotations = record.annotations as Record<string, unknown> | undefined;
    add("annotations.title", annotations?.title);
    walkSchema("inputSchema", record.inputSchema, fields);
    walkSchema("outputSchema", record.outputSchema, fields);
  }
  if (kind === "prompt" && Array.isArray(record.arguments)) {
    (record.arguments as unknown[]).forEach((argument, index) => {
      const entry = (argument ?? {}) as Record<string, unknown>;
      add(`arguments[${index}].name`, entry.name, true);
      add(`arguments[${index}].description`, entry.description);
    });
  }
  return fields;
}

function walkSchema(path: string, node: unknown, fields: TextField[]): void {
  if (typeof node === "string") {
    if (node !== "") fields.push({ path, text: node, isName: false });
    return;
  }
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    node.forEach((item, index) => walkSchema(`${path}[${index}]`, item, fields));
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (STRUCTURAL_KEYS.has(key)) continue;
    if (key === "properties" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [property, schema] of Object.entries(value as Record<string, unknown>)) {
        fields.push({ path: `${path}.properties[${property}]`, text: property, isName: true });
        walkSchema(`${path}.properties.${property}`, schema, fields);
      }
      continue;
    }
    walkSchema(`${path}.${key}`, value, fields);
  }
}
