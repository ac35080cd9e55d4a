// JSON Schema of mcp_config.json for editors, generated from the zod schema.
// The committed copy is schema/mcp_config.schema.json (`pnpm --filter @mcpproxy/config schema`
// rewrites it; a test fails when it is stale).
import { z } from "zod";
import { DEFAULT_IMAGES } from "./defaults.ts";
import { ConfigFileSchema } from "./schema.ts";

function build(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigFileSchema, {
    io: "input",
    target: "draft-07",
    override: ({ zodSchema, jsonSchema }) => {
      // Unknown keys are warnings when loading; editors show them the same way.
      if (zodSchema._zod.def.type === "object") jsonSchema.additionalProperties = false;
    },
  });
  const { $schema, ...rest } = generated;
  // default_images is merged over the defaults when loading; show the full table to editors.
  const isolation = (rest.properties?.["docker_isolation"] ?? {}) as { properties?: Record<string, object> };
  const images = isolation.properties?.["default_images"];
  if (images !== undefined) Object.assign(images, { default: { ...DEFAULT_IMAGES } });
  return {
    $schema,
    title: "MCPProxy configuration (mcp_config.json)",
    description: "Listener, Docker isolation and the upstream MCP servers of MCPProxy.",
    // Understood by VS Code: the file may have comments and trailing commas.
    allowComments: true,
    allowTrailingCommas: true,
    ...rest,
  };
}

/** JSON Schema (draft-07) of mcp_config.json, generated from the zod schema. */
export const configJsonSchema: Readonly<Record<string, unknown>> = Object.freeze(build());

/** The exact text of the committed schema file. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema, null, 2)}\n`;
}
