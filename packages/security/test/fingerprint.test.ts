import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { fingerprint, hashPrompt, hashResource, hashTool, type ToolDefinition } from "../src/index.ts";
import { loadNegativeSet } from "./fixtures/negative-set.ts";

const tool: ToolDefinition = {
  name: "read_file",
  description: "Read a file.",
  inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  annotations: { readOnlyHint: true },
};

describe("hashTool", () => {
  test("is the SHA-256 of the canonical JSON of the pinned fields", () => {
    const print = hashTool(tool);
    expect(print.key).toBe("read_file");
    expect(print.hash).toBe(createHash("sha256").update(print.canonical).digest("hex"));
    expect(JSON.parse(print.canonical)).toEqual(tool);
  });

  test("does not depend on key order", () => {
    const reordered = {
      annotations: { readOnlyHint: true },
      inputSchema: { required: ["path"], properties: { path: { type: "string" } }, type: "object" },
      description: "Read a file.",
      name: "read_file",
    };
    expect(hashTool(reordered).hash).toBe(hashTool(tool).hash);
  });

  test.each([
    ["description", { ...tool, description: "Read a file!" }],
    ["input schema", { ...tool, inputSchema: { type: "object", properties: { path: { type: "number" } } } }],
    ["output schema", { ...tool, outputSchema: { type: "object" } }],
    ["annotations", { ...tool, annotations: { readOnlyHint: false } }],
    ["title", { ...tool, title: "Read" }],
  ])("changes when the %s changes", (_field, changed) => {
    expect(hashTool(changed).hash).not.toBe(hashTool(tool).hash);
  });

  test("ignores fields that are not pinned (e.g. _meta)", () => {
    expect(hashTool({ ...tool, _meta: { at: Date.now() } } as ToolDefinition).hash).toBe(hashTool(tool).hash);
  });

  test("a definition without its key is a typed error", () => {
    expect(() => hashTool({ description: "x" } as ToolDefinition)).toThrow(
      expect.objectContaining({
        code: "INVALID_DEFINITION",
        message: expect.stringContaining("no name") as string,
      }),
    );
    expect(() => hashResource({ name: "r" })).toThrow(
      expect.objectContaining({ code: "INVALID_DEFINITION" }),
    );
  });
});

describe("prompts and resources", () => {
  test("prompts are keyed by name and hash their arguments", () => {
    const prompt = { name: "review", arguments: [{ name: "code", required: true }] };
    expect(hashPrompt(prompt).key).toBe("review");
    expect(hashPrompt({ ...prompt, arguments: [{ name: "code" }] }).hash).not.toBe(hashPrompt(prompt).hash);
  });

  test("resources are keyed by URI (or template)", () => {
    expect(hashResource({ uri: "file:///a", name: "a" }).key).toBe("file:///a");
    expect(fingerprint("resource", { uriTemplate: "db://{table}", name: "t" }).key).toBe("db://{table}");
  });
});

describe("hashTool on real tool lists", () => {
  // Rebuilds every object with its keys in reverse order, at every depth.
  const reverseKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reverseKeys)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, member]) => [key, reverseKeys(member)]),
          )
        : value;

  test("every captured tool hashes the same whatever its key order, and distinct tools get distinct hashes", () => {
    let count = 0;
    for (const server of loadNegativeSet()) {
      const hashes = new Set<string>();
      for (const tool of server.tools) {
        const print = hashTool(tool);
        expect(hashTool(reverseKeys(tool) as ToolDefinition)).toEqual(print);
        hashes.add(print.hash);
        count += 1;
      }
      expect(hashes.size, server.package).toBe(server.tools.length);
    }
    expect(count).toBeGreaterThanOrEqual(150);
  });
});

describe("hashPrompt and hashResource on real lists", () => {
  test("every captured prompt and resource fingerprints to its own hash", () => {
    const prints = loadNegativeSet().flatMap((server) => [
      ...server.prompts.map((prompt) => hashPrompt(prompt)),
      ...server.resources.map((resource) => hashResource(resource)),
    ]);
    expect(prints.length).toBeGreaterThanOrEqual(15);
    expect(new Set(prints.map((print) => print.hash)).size).toBe(prints.length);
  });
});
