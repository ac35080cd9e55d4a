import { describe, expect, test } from "vitest";
import { checkCallPolicy, toolKind, type AllowPolicy } from "../src/index.ts";

describe("toolKind", () => {
  test.each([
    [{ readOnlyHint: true }, "read-only"],
    [{ readOnlyHint: true, destructiveHint: true }, "read-only"],
    [{ readOnlyHint: false }, "destructive"],
    [{ readOnlyHint: false, destructiveHint: false }, "write"],
    [{ destructiveHint: false }, "write"],
    [{ destructiveHint: true }, "destructive"],
    [{}, "unknown"],
    [undefined, "unknown"],
  ] as const)("%j → %s", (annotations, kind) => {
    expect(toolKind({ annotations })).toBe(kind);
  });
});

describe("checkCallPolicy", () => {
  test("allow: all lets everything through, with its kind", () => {
    expect(
      checkCallPolicy(
        { server: "fs", allow: "all" },
        { name: "delete", annotations: { destructiveHint: true } },
      ),
    ).toEqual({
      allowed: true,
      kind: "destructive",
    });
  });

  test("allow: read-only passes read-only tools", () => {
    const decision = checkCallPolicy(
      { server: "fs", allow: "read-only" },
      { name: "read_file", annotations: { readOnlyHint: true } },
    );
    expect(decision).toEqual({ allowed: true, kind: "read-only" });
  });

  test("allow: read-only refuses destructive, write and unannotated tools with a clear message", () => {
    const destructive = checkCallPolicy(
      { server: "fs", allow: "read-only" },
      { name: "delete_file", annotations: { readOnlyHint: false, destructiveHint: true } },
    );
    expect(destructive).toEqual({
      allowed: false,
      kind: "destructive",
      code: "POLICY_READ_ONLY",
      message:
        'Refused: server "fs" allows only read-only tools (allow: "read-only") and tool "delete_file" is annotated as destructive. To permit it, set "allow": "all" for server "fs".',
    });
    const unannotated = checkCallPolicy({ server: "fs", allow: "read-only" }, { name: "move_file" });
    expect(unannotated).toMatchObject({ allowed: false, kind: "unknown" });
    expect(unannotated.allowed ? "" : unannotated.message).toContain("has no readOnlyHint annotation");
    const write = checkCallPolicy(
      { server: "fs", allow: "read-only" },
      { name: "w", annotations: { readOnlyHint: false, destructiveHint: false } },
    );
    expect(write.allowed ? "" : write.message).toContain("annotated as writing");
  });

  test("an unknown policy value is a typed error naming the server and the fix", () => {
    expect(() => checkCallPolicy({ server: "fs", allow: "readonly" as AllowPolicy }, { name: "x" })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: 'allow for server "fs" is "readonly"; use "all" or "read-only"',
      }),
    );
  });
});
