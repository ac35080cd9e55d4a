import { describe, expect, it } from "vitest";
import { formatIssues, parseConfig, type ConfigResult } from "../src/index.ts";

function errors(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected errors");
  return formatIssues(result.errors);
}

describe("parseConfig: JSON with comments", () => {
  it("accepts // and /* */ comments and trailing commas", () => {
    const text = `{
      // the listener
      "listen": "127.0.0.1:9000", /* inline */
      "mcpServers": [
        { "name": "fetch", "command": "uvx", "args": ["mcp-server-fetch",], },
      ],
    }`;
    const result = parseConfig(text);
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.ok && result.config.listen).toBe("127.0.0.1:9000");
    expect(result.ok && result.config.mcpServers[0]?.args).toEqual(["mcp-server-fetch"]);
  });

  it("ignores a byte order mark", () => {
    expect(parseConfig('\uFEFF{"log_level": "debug"}').ok).toBe(true);
  });

  it("echoes the source", () => {
    expect(parseConfig("{}", { source: "/etc/x.json" }).source).toBe("/etc/x.json");
    expect(parseConfig("{").source).toBeUndefined();
  });
});

describe("parseConfig: syntax errors give file, line and column", () => {
  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 'c.json:3:3: expected "," before "b"'],
    ["{\n  name: 1\n}", 'c.json:2:3: property names need double quotes: write "name"'],
    ["{\n  'name': 1\n}", 'c.json:2:3: strings need double quotes: write "name"'],
    [
      '{"enabled": tru}',
      'c.json:1:13: unexpected tru; a value is true, false, null, a number, a "string", an [array] or an {object}',
    ],
    [
      '{"a": "C:\\Users"}',
      'c.json:1:7: invalid escape in "C:\\Users"; write each backslash twice (C:\\\\Users) or use forward slashes',
    ],
    ['{"a": 1', 'c.json:1:8: expected "}" to close the object, found the end of the file'],
    ['{"a": [1, 2', 'c.json:1:12: expected "]" to close the array, found the end of the file'],
    ['{"a": 1 "b": 2 "c": 3}', 'c.json:1:9: expected "," before "b"', 'c.json:1:16: expected "," before "c"'],
    ['{"a": 1} {}', "c.json:1:10: unexpected { after the end of the config object"],
    ['{"a": "x', 'c.json:1:7: unterminated string; add the closing "'],
    ['{"a": 1 /* note', "c.json:1:9: unterminated /* comment"],
    ['{"a" 1}', 'c.json:1:6: expected ":" after the property name, found 1'],
    ["", 'c.json:1:1: the file is empty; write a JSON object such as {"mcpServers": []}'],
    ["  \n ", 'c.json:1:1: the file is empty; write a JSON object such as {"mcpServers": []}'],
  ])("%j", (text, ...expected) => {
    expect(errors(parseConfig(text, { source: "c.json" }))).toEqual(expected);
  });

  it("reports errors on several lines at once, one per line", () => {
    const text = '{\n  "a": 1\n  "b": 2\n  "c": 3\n}';
    expect(errors(parseConfig(text, { source: "c.json" }))).toEqual([
      'c.json:3:3: expected "," before "b"',
      'c.json:4:3: expected "," before "c"',
    ]);
  });

  it("has code SYNTAX_ERROR and no schema errors when the syntax is wrong", () => {
    const result = parseConfig('{"listen": "bad" "x": 1}');
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.line, e.column, e.file])).toEqual([
      ["SYNTAX_ERROR", 1, 18, undefined],
    ]);
  });
});

describe("parseConfig: positions of schema issues", () => {
  const text = `{
  "mcpServers": [
    { "name": "a", "command": "uvx" },
    {
      "name": "b",
      "command": "uvx",
      "isolation": { "memory_limit": "512" }
    }
  ],
  "log_levle": "info"
}`;
  it("points errors at the value and unknown keys at the key", () => {
    const result = parseConfig(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        path: "mcpServers[1].isolation.memory_limit",
        message: '"512" has no unit; use e.g. "512m" or "1g"',
        code: "INVALID_MEMORY",
        line: 7,
        column: 38,
      },
    ]);
    expect(result.warnings).toEqual([
      {
        path: "log_levle",
        message: 'unknown key "log_levle" is ignored; did you mean "log_level"?',
        code: "UNKNOWN_KEY",
        line: 10,
        column: 3,
      },
    ]);
  });

  it("points a missing field at the object that lacks it", () => {
    const result = parseConfig('{\n  "mcpServers": [\n    { "name": "x" }\n  ]\n}');
    expect(result.ok ? undefined : result.errors[0]).toMatchObject({
      path: "mcpServers[0].command",
      line: 3,
      column: 5,
    });
  });

  it("uses the keys of the object-map form in paths", () => {
    const result = parseConfig('{"mcpServers": {\n "gh": {"command": "npx", "env": {"A B": "1"}}\n}}');
    expect(result.ok ? undefined : result.errors[0]).toMatchObject({
      path: 'mcpServers.gh.env["A B"]',
      code: "INVALID_ENV_KEY",
      line: 2,
    });
  });
});

describe("parseConfig: duplicate keys", () => {
  it("keeps the last value, like JSON.parse, and warns with the lines", () => {
    const text = `{
  "mcpServers": [{
    "name": "s", "command": "uvx",
    "isolation": {
      "enabled": false,
      "enabled": true
    }
  }]
}`;
    const result = parseConfig(text);
    expect(result.ok && result.config.mcpServers[0]?.isolation?.enabled).toBe(true);
    expect(result.warnings).toEqual([
      {
        path: "mcpServers[0].isolation.enabled",
        message:
          '"enabled" is given 2 times (lines 5, 6); the last one, the boolean true, is used and the others are ignored',
        code: "DUPLICATE_KEY",
        line: 6,
        column: 7,
      },
    ]);
  });

  it("warns about duplicates at the top level and in the object-map form", () => {
    const result = parseConfig(
      '{"listen": "127.0.0.1:1", "listen": "127.0.0.1:2", "mcpServers": {"a": {"command": "x", "command": "y"}}}',
    );
    expect(result.ok && result.config.listen).toBe("127.0.0.1:2");
    expect(result.ok && result.config.mcpServers[0]?.command).toBe("y");
    expect(formatIssues(result.warnings)).toEqual([
      'listen: "listen" is given 2 times (lines 1, 1); the last one, "127.0.0.1:2", is used and the others are ignored',
      'mcpServers.a.command: "command" is given 2 times (lines 1, 1); the last one, "y", is used and the others are ignored',
    ]);
  });
});

describe("parseConfig: hostile input", () => {
  const deep = (open: string, close: string, depth: number): string =>
    `{"mcpServers": ${open.repeat(depth)}${close.repeat(depth)}}`;

  it.each([
    ["array", deep("[", "]", 10_000)],
    ["object", deep('{"a":', "}", 10_000)],
  ])("rejects a 10,000-deep nested %s with a syntax error, not a stack overflow", (_kind, text) => {
    const result = parseConfig(text, { source: "/etc/deep.json" });
    expect(result.ok).toBe(false);
    const [line] = errors(result);
    expect(line).toMatch(/^\/etc\/deep\.json:1:\d+: nesting deeper than 100 levels is not supported/);
  });

  it("accepts nesting up to the limit, and ignores brackets in strings and comments", () => {
    const brackets = `"${"[".repeat(200)}"`;
    const text = `{ // ${"{".repeat(200)}
      /* ${"[".repeat(200)} */ "mcpServers": [], "log_level": ${brackets} }`;
    expect(errors(parseConfig(text))).toEqual([
      `log_level: "${"[".repeat(57)}..." is not one of "error", "warn", "info" or "debug"`,
    ]);
  });

  it("keeps messages short for a 1 MB value, server name and unknown key, and still names the path", () => {
    const huge = "x".repeat(1_000_000);
    const text = JSON.stringify({
      docker_isolation: { memory_limit: `1${huge}` },
      mcpServers: { [huge]: { command: "npx" } },
      [huge]: true,
    });
    const result = parseConfig(text);
    if (result.ok) throw new Error("expected errors");
    const issues = [...result.errors, ...result.warnings];
    expect(issues.map((issue) => issue.code).sort()).toEqual([
      "INVALID_MEMORY",
      "INVALID_SERVER_NAME",
      "UNKNOWN_KEY",
    ]);
    for (const issue of issues) expect(issue.message.length).toBeLessThan(300);
    expect(result.errors.find((issue) => issue.code === "INVALID_MEMORY")?.path).toBe(
      "docker_isolation.memory_limit",
    );
    expect(result.warnings[0]?.message).toMatch(/^unknown key "x{57}\.\.\." is ignored$/);
  });

  it("keeps a duplicate 1 MB key short", () => {
    const huge = "k".repeat(1_000_000);
    const result = parseConfig(`{"${huge}": 1, "${huge}": 2}`);
    const duplicate = result.warnings.find((issue) => issue.code === "DUPLICATE_KEY");
    expect(duplicate?.message).toMatch(/^"k{57}\.\.\." is given 2 times/);
  });
});
