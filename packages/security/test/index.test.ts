import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import * as api from "../src/index.ts";

const EXPORTS = [
  "ACTIVITY_BATCH_ROWS",
  "ACTIVITY_FLUSH_MS",
  "ALLOW_POLICIES",
  "CALL_OUTCOMES",
  "DEFAULT_ACTIVITY_LIMIT",
  "DEFAULT_MAX_ACTIVITY_BYTES",
  "DEFAULT_MAX_DESCRIPTION_LENGTH",
  "DEFAULT_MAX_FIELD_LENGTH",
  "MAX_ACTIVITY_LIMIT",
  "MIGRATIONS",
  "PINNED_FIELDS",
  "REDACTED",
  "SECURITY_DB_FILE",
  "SecurityError",
  "SecurityStore",
  "applyMigrations",
  "approveDefinitions",
  "blocksAutoApproval",
  "canonicalJson",
  "checkCallPolicy",
  "definitionKey",
  "diffFingerprints",
  "evaluateDefinitions",
  "evaluateServerTools",
  "fingerprint",
  "hashPrompt",
  "hashResource",
  "hashTool",
  "nameSkeleton",
  "redact",
  "scanDefinition",
  "scanPrompt",
  "scanResource",
  "scanTool",
  "schemaVersion",
  "summarizeCall",
  "toolKind",
  "withheldMessage",
];

describe("public API", () => {
  test("exports exactly these names", () => {
    expect(Object.keys(api).sort()).toEqual(EXPORTS);
  });

  test("the README documents every export", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "../README.md"), "utf8");
    expect(EXPORTS.filter((name) => !new RegExp(`\`${name}[(\`]`).test(readme))).toEqual([]);
  });

  test("errors carry a code and a cause", () => {
    const cause = new Error("disk full");
    const error = new api.SecurityError("STORE_OPEN_FAILED", "cannot open x", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "SecurityError", code: "STORE_OPEN_FAILED", cause });
  });
});
