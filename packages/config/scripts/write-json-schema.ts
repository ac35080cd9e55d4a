// Rewrites schema/mcp_config.schema.json from the zod schema.
// Run: pnpm --filter @mcpproxy/config schema
import { writeFile } from "node:fs/promises";
import { configJsonSchemaText } from "../src/json-schema.ts";

const target = new URL("../schema/mcp_config.schema.json", import.meta.url);
await writeFile(target, configJsonSchemaText());
console.log(`wrote ${target.pathname}`);
