import { readdir, readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { configJsonSchema, DEFAULT_IMAGES, DOCKER_ISOLATION_DEFAULTS, validateConfig } from "../src/index.ts";
import { cpuProblem, durationProblem, memoryProblem } from "../src/formats.ts";
import { configJsonSchemaText } from "../src/json-schema.ts";

const COMMITTED = new URL("../schema/mcp_config.schema.json", import.meta.url);
const SPEC = new URL("./fixtures/spec/", import.meta.url);

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  default?: unknown;
  pattern?: string;
  additionalProperties?: unknown;
  anyOf?: SchemaNode[];
  items?: SchemaNode;
}
const schema = configJsonSchema as SchemaNode;
const isolation = schema.properties?.["docker_isolation"]?.properties ?? {};

describe("configJsonSchema", () => {
  it("matches the committed schema/mcp_config.schema.json (run `pnpm --filter @mcpproxy/config schema` to update)", async () => {
    expect(await readFile(COMMITTED, "utf8")).toBe(configJsonSchemaText());
  });

  it("shows the spec's defaults, the full image table included", () => {
    for (const [key, value] of Object.entries(DOCKER_ISOLATION_DEFAULTS)) {
      expect(isolation[key]?.default, key).toEqual(value);
    }
    expect(isolation["default_images"]?.default).toEqual(DEFAULT_IMAGES);
    expect(schema.properties?.["listen"]?.default).toBe("127.0.0.1:8080");
  });

  it("flags unknown keys in editors like the loader warns about them", () => {
    expect(schema.additionalProperties).toBe(false);
    expect(isolation["default_images"]?.additionalProperties).not.toBe(false);
  });

  it("accepts both forms of mcpServers", () => {
    expect(
      schema.properties?.["mcpServers"]?.anyOf?.map((option) => (option as { type?: string }).type),
    ).toEqual(["array", "object"]);
  });

  it("has patterns that accept every value the loader accepts", () => {
    const check = (key: string, values: string[], problem: (v: string) => string | undefined): void => {
      const pattern = new RegExp(isolation[key]?.pattern ?? "^$", "u");
      for (const value of values.filter((v) => problem(v) === undefined))
        expect(pattern.test(value), value).toBe(true);
    };
    check("memory_limit", ["512m", "1g", "1.5G", "512mb", "512MiB", "7000000", "6 m", "8b"], memoryProblem);
    check("cpu_limit", ["1.0", "0.5", ".5", "2", "16."], cpuProblem);
    check("timeout", ["30s", "500ms", "1m30s", "1.5h", "+5s", "100us", "1µs"], durationProblem);
  });

  describe("validates files like the loader (ajv, draft-07)", () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(configJsonSchema);

    it("accepts every spec example", async () => {
      const files = (await readdir(SPEC)).filter((f) => f.endsWith(".jsonc") && !f.includes("verbatim"));
      expect(files.length).toBeGreaterThan(15);
      for (const file of files) {
        const value: unknown = parse(await readFile(new URL(file, SPEC), "utf8"), [], {
          allowTrailingComma: true,
        });
        expect(validate(value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(validateConfig(value).ok, file).toBe(true);
      }
    });

    it.each([
      [{ log_level: "verbose" }],
      [{ mcpServers: [{ name: "x" }] }],
      [{ mcpServers: { "bad name": { command: "x" } } }],
      [{ docker_isolation: { memory_limit: "lots" } }],
      [{ docker_isolation: { timeout: "30" } }],
      [{ docker_isolation: { enabled: "yes" } }],
      [{ mcpServers: [{ name: "x", command: "y", env: { "A-B": "1" } }] }],
      [{ unknown_key: 1 }],
    ])("rejects %j", (value) => {
      expect(validate(value)).toBe(false);
    });
  });
});
