import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createToolIndex } from "../src/tool-index.ts";

function tool(name: string, description: string, params: string[] = []): Tool {
  return {
    name,
    description,
    inputSchema: {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p, { type: "string" }])),
    },
  };
}

const corpus = [
  {
    server: "github",
    tool: tool("create_issue", "Create a new issue in a repository", ["owner", "repo", "title"]),
  },
  {
    server: "github",
    tool: tool("list_pull_requests", "List pull requests of a repository", ["owner", "repo"]),
  },
  { server: "weather", tool: tool("getForecast", "Weather forecast for a city", ["city", "days"]) },
  { server: "files", tool: tool("read_file", "Read the contents of a file from disk", ["path"]) },
  { server: "everything", tool: tool("echo", "Echoes back the input string", ["message"]) },
];

describe("tool index", () => {
  const index = createToolIndex();
  index.replace(corpus);

  it("ranks by name, description and parameter names", () => {
    expect(index.search("create issue", 3)[0]?.tool.name).toBe("create_issue");
    expect(index.search("forecast", 3)[0]?.tool.name).toBe("getForecast");
    expect(index.search("echo message", 3)[0]?.tool.name).toBe("echo");
    // only a parameter name matches
    expect(index.search("city", 3)[0]?.tool.name).toBe("getForecast");
  });

  it("splits camelCase and snake_case names into words", () => {
    expect(index.search("get", 5).map((h) => h.tool.name)).toContain("getForecast");
    expect(index.search("pull", 5)[0]?.tool.name).toBe("list_pull_requests");
  });

  it("gives scores in descending order and honours the limit", () => {
    const hits = index.search("repository issue", 10);
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(index.search("repository", 1)).toHaveLength(1);
  });

  it("tolerates a typo (fuzzy) and a prefix", () => {
    expect(index.search("forcast", 3)[0]?.tool.name).toBe("getForecast");
    expect(index.search("repos", 3).map((h) => h.tool.name)).toContain("create_issue");
  });

  it("finds nothing for unrelated words, and lists everything for an empty query", () => {
    expect(index.search("zebra quantum", 5)).toEqual([]);
    expect(index.search("  ", 100)).toHaveLength(corpus.length);
  });

  it("follows replace()", () => {
    const other = createToolIndex();
    other.replace(corpus);
    expect(other.search("echo", 1)).toHaveLength(1);
    other.replace(corpus.filter((t) => t.tool.name !== "echo"));
    expect(other.search("echo", 5).map((h) => h.tool.name)).not.toContain("echo");
    expect(other.size).toBe(corpus.length - 1);
  });
});

describe("tool index updates and filters", () => {
  it("re-indexes only what changed when one server's tools change", () => {
    const index = createToolIndex();
    expect(index.replace(corpus)).toEqual({ added: corpus.length, updated: 0, removed: 0, unchanged: 0 });
    const edited = corpus.map((t) =>
      t.tool.name === "getForecast"
        ? { server: t.server, tool: tool("getForecast", "Weather forecast and tides for a city", ["city"]) }
        : t,
    );
    expect(index.replace(edited)).toEqual({ added: 0, updated: 1, removed: 0, unchanged: corpus.length - 1 });
    expect(index.search("tides", 3)[0]?.tool.name).toBe("getForecast");
    const withoutFiles = edited.filter((t) => t.server !== "files");
    expect(index.replace(withoutFiles)).toEqual({
      added: 0,
      updated: 0,
      removed: 1,
      unchanged: corpus.length - 1,
    });
    expect(index.search("read file", 5).map((h) => h.server)).not.toContain("files");
  });

  it("searches one server's tools when asked, and orders equal scores by server then name", () => {
    const index = createToolIndex();
    index.replace([
      ...corpus,
      { server: "mirror", tool: tool("echo", "Echoes back the input string", ["message"]) },
    ]);
    expect(index.search("echo", 5).map((h) => `${h.server}:${h.tool.name}`)).toEqual([
      "everything:echo",
      "mirror:echo",
    ]);
    expect(index.search("echo", 5, "mirror").map((h) => `${h.server}:${h.tool.name}`)).toEqual([
      "mirror:echo",
    ]);
    expect(index.search("", 10, "github").map((h) => h.tool.name)).toEqual([
      "create_issue",
      "list_pull_requests",
    ]);
  });
});
