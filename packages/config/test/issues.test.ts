import { describe, expect, it } from "vitest";
import { formatIssues, type ConfigIssue } from "../src/index.ts";
import { describeValue, didYouMean, editDistance, formatPath, quotedList } from "../src/issues.ts";

describe("formatIssues", () => {
  it("writes path: message, a file position for syntax errors, and the bare message for whole-file issues", () => {
    const issues: ConfigIssue[] = [
      {
        path: "mcpServers[2].isolation.memory_limit",
        message: '"512" has no unit',
        code: "INVALID_MEMORY",
        line: 9,
      },
      {
        path: "",
        message: 'expected "," before "b"',
        code: "SYNTAX_ERROR",
        line: 3,
        column: 7,
        file: "/c.json",
      },
      { path: "", message: "missing comma", code: "SYNTAX_ERROR", line: 1, column: 2 },
      { path: "", message: "/c.json does not exist", code: "CONFIG_NOT_FOUND" },
    ];
    expect(formatIssues(issues)).toEqual([
      'mcpServers[2].isolation.memory_limit: "512" has no unit',
      '/c.json:3:7: expected "," before "b"',
      "<input>:1:2: missing comma",
      "/c.json does not exist",
    ]);
  });
});

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["listen"], "listen"],
    [["mcpServers", 2, "isolation", "memory_limit"], "mcpServers[2].isolation.memory_limit"],
    [["mcpServers", "github", "env", "MY-KEY"], 'mcpServers.github.env["MY-KEY"]'],
    [["mcpServers", "my server"], 'mcpServers["my server"]'],
    [["docker_isolation", "extra_args", 0], "docker_isolation.extra_args[0]"],
  ])("%j → %s", (segments, path) => {
    expect(formatPath(segments)).toBe(path);
  });
});

describe("didYouMean", () => {
  const keys = ["memory_limit", "cpu_limit", "network_mode", "enabled", "env"];
  it.each([
    ["memory_limt", "memory_limit"],
    ["memoryLimit", "memory_limit"],
    ["cpu-limit", "cpu_limit"],
    ["enable", "enabled"],
    ["environment", "env"],
    ["zzz", undefined],
    ["image", undefined],
  ])("%s → %s", (input, expected) => {
    expect(didYouMean(input, keys)).toBe(expected);
  });
  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("hots", "host")).toBe(1);
  });
});

describe("describeValue and quotedList", () => {
  it.each([
    ["x", '"x"'],
    [3, "the number 3"],
    [false, "the boolean false"],
    [null, "null"],
    [[1], "an array"],
    [{}, "an object"],
    ["y".repeat(80), `"${"y".repeat(57)}..."`],
  ])("%j → %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
  it("quotes and joins", () => {
    expect(quotedList(["a"])).toBe('"a"');
    expect(quotedList(["a", "b", "c"])).toBe('"a", "b" or "c"');
  });
});
