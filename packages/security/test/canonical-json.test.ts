import { describe, expect, test } from "vitest";
import { canonicalJson, SecurityError } from "../src/index.ts";

describe("canonicalJson", () => {
  test("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  test("is independent of key insertion order", () => {
    const one = { name: "x", inputSchema: { type: "object", properties: { a: {}, b: {} } } };
    const two = { inputSchema: { properties: { b: {}, a: {} }, type: "object" }, name: "x" };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  test("drops undefined members, keeps null", () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  test("rejects values JSON cannot hold, naming the path", () => {
    expect(() => canonicalJson({ schema: { max: Number.POSITIVE_INFINITY } })).toThrow(
      expect.objectContaining({
        code: "INVALID_DEFINITION",
        message: expect.stringContaining("$.schema.max") as string,
      }),
    );
    expect(() => canonicalJson({ f: () => 1 })).toThrow(SecurityError);
  });
});
