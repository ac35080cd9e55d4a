import { describe, expect, test } from "vitest";
import { REDACTED, redact, summarizeCall } from "../src/index.ts";

describe("summarizeCall", () => {
  test("keeps keys and sizes, not values, by default", () => {
    const summary = summarizeCall({ arguments: { path: "/tmp/ü", mode: 1 }, result: { content: [] } });
    expect(summary).toEqual({
      argumentKeys: ["mode", "path"],
      argumentBytes: Buffer.byteLength(JSON.stringify({ path: "/tmp/ü", mode: 1 })),
      resultBytes: Buffer.byteLength('{"content":[]}'),
    });
  });

  test("keeps redacted values when the server's switch is on", () => {
    const summary = summarizeCall({
      logValues: true,
      arguments: {
        query: "weather",
        apiKey: "abc",
        headers: { Authorization: "Bearer xyz", accept: "json" },
        author: "octocat",
        note: "use ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        credentials: { user: "u", pass: "p" },
      },
    });
    expect(summary.argumentValues).toEqual({
      query: "weather",
      apiKey: REDACTED,
      headers: { Authorization: REDACTED, accept: "json" },
      author: "octocat",
      note: REDACTED,
      credentials: REDACTED,
    });
  });

  test("no arguments and no result are zero bytes", () => {
    expect(summarizeCall({})).toEqual({ argumentKeys: [], argumentBytes: 0, resultBytes: 0 });
  });
});

describe("redact", () => {
  test.each([
    "-----BEGIN OPENSSH PRIVATE KEY-----\nabc",
    "sk-ant-api03-abcdefghijklmnopqrstu",
    "AKIAABCDEFGHIJKLMNOP",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop",
    "postgres://user:hunter2@db:5432/app",
    "xoxb-1234567890-abcdef",
  ])("redacts a secret-looking value: %s", (value) => {
    expect(redact({ text: value })).toEqual({ text: REDACTED });
  });

  test("shortens long strings", () => {
    expect(redact("x".repeat(300))).toBe(`${"x".repeat(256)}…(44 more characters)`);
  });
});
