// Public API of @mcpproxy/test-helpers (private): what several packages' tests share.
export { configWith, serverOf, testInstanceId, type ServerSpec } from "./isolation.ts";
export { createTempDir, type TempDir } from "./temp-dir.ts";
export { waitFor } from "./wait-for.ts";
