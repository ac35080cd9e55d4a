import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createToolSearchIndex } from "../src/tool-search-index.ts";

function tool(name: string, description = "", params: Record<string, string> = {}): Tool {
  return {
    name,
    description,
    inputSchema: {
      type: "object",
      properties: Object.fromEntries(
        Object.entries(params).map(([p, d]) => [p, { type: "string", description: d }]),
      ),
    },
  };
}

const names = (hits: { server: string; tool: Tool }[]) => hits.map((h) => `${h.server}:${h.tool.name}`);

describe("field weights", () => {
  it("ranks a word in the name above the first sentence, above the rest, above a parameter", () => {
    const index = createToolSearchIndex();
    index.setServerTools("s", [
      tool("in_params", "Does one thing. Nothing more here.", { deployment: "the target" }),
      tool("in_details", "Does one thing. About a deployment here."),
      tool("in_summary", "Does one deployment. Nothing more here."),
      tool("deployment_in_name", "Does one thing. Nothing more here."),
    ]);
    expect(names(index.search("deployment", { limit: 10 }))).toEqual([
      "s:deployment_in_name",
      "s:in_summary",
      "s:in_details",
      "s:in_params",
    ]);
  });

  it("does not let a parameter name outweigh what a tool is for", () => {
    const index = createToolSearchIndex();
    index.setServerTools("maps", [
      tool("search_places", "Search for places near a location.", { country: "ISO code" }),
    ]);
    index.setServerTools("facts", [tool("country_facts", "Facts about a country: capital, population.")]);
    expect(names(index.search("population of a country", { limit: 1 }))).toEqual(["facts:country_facts"]);
  });

  it("keeps a very long description from dominating: only its first words past the first sentence count", () => {
    const index = createToolSearchIndex();
    const filler = Array.from({ length: 200 }, () => "lorem").join(" ");
    index.setServerTools("big", [
      tool("everything_tool", `Does many things. ${filler} screenshot screenshot.`),
    ]);
    index.setServerTools("browser", [tool("take_screenshot", "Captures the page.")]);
    expect(names(index.search("screenshot", { limit: 5 }))).toEqual(["browser:take_screenshot"]);
  });
});

describe("stemming and synonyms", () => {
  it("matches inflected and synonymous words", () => {
    const index = createToolSearchIndex();
    index.setServerTools("fs", [
      tool("create_directory", "Create a new directory."),
      tool("read_file", "Read a file."),
    ]);
    index.setServerTools("gh", [tool("list_pull_requests", "List pull requests of a repository.")]);
    expect(names(index.search("make a folder", { limit: 1 }))).toEqual(["fs:create_directory"]);
    expect(names(index.search("open PRs in the repo", { limit: 1 }))).toEqual(["gh:list_pull_requests"]);
    expect(names(index.search("reading files", { limit: 1 }))).toEqual(["fs:read_file"]);
  });

  it("tolerates a small typo in a long word", () => {
    const index = createToolSearchIndex();
    index.setServerTools("weather", [tool("get_forecast", "Weather forecast for a city.")]);
    expect(names(index.search("forcast", { limit: 1 }))).toEqual(["weather:get_forecast"]);
  });
});

describe("server name", () => {
  const index = createToolSearchIndex();
  index.setServerTools("github", [
    tool("search_issues", "Search for issues and pull requests."),
    tool("search_code", "Search for code across repositories."),
  ]);
  index.setServerTools("sentry", [tool("search_issues", "Search for grouped error issues.")]);
  index.setServerTools("firecrawl", [
    tool("firecrawl_research_search_github", "Search GitHub for code and repositories."),
  ]);

  it("ranks the tools of the server a query names first", () => {
    expect(names(index.search("search issues on GitHub", { limit: 1 }))).toEqual(["github:search_issues"]);
    expect(names(index.search("search issues in sentry", { limit: 1 }))).toEqual(["sentry:search_issues"]);
  });

  it("ranks a product's own tool above another server's tool named after the product", () => {
    expect(names(index.search("search code on github", { limit: 1 }))).toEqual(["github:search_code"]);
  });

  it("filters by server", () => {
    expect(names(index.search("search issues", { limit: 10, server: "sentry" }))).toEqual([
      "sentry:search_issues",
    ]);
    expect(names(index.search("", { limit: 10, server: "github" }))).toEqual([
      "github:search_code",
      "github:search_issues",
    ]);
    expect(index.search("search", { limit: 10, server: "nope" })).toEqual([]);
  });
});

describe("order and limits", () => {
  it("orders equal scores by server, then tool name, on every search", () => {
    const index = createToolSearchIndex();
    for (const server of ["b", "a", "c"])
      index.setServerTools(server, [tool("ping", "Ping."), tool("pong", "Ping.")]);
    const expected = ["a:ping", "b:ping", "c:ping", "a:pong", "b:pong", "c:pong"];
    expect(names(index.search("ping", { limit: 10 }))).toEqual(expected);
    expect(names(index.search("ping", { limit: 10 }))).toEqual(expected);
    expect(names(index.search("ping", { limit: 2 }))).toEqual(expected.slice(0, 2));
  });

  it("lists every tool for an empty query and nothing for stop words or unknown words", () => {
    const index = createToolSearchIndex();
    index.setServerTools("z", [tool("b")]);
    index.setServerTools("y", [tool("a")]);
    expect(names(index.search("  ", { limit: 10 }))).toEqual(["y:a", "z:b"]);
    expect(index.search("the of and", { limit: 10 })).toEqual([]);
    expect(index.search("zebra quantum", { limit: 10 })).toEqual([]);
  });
});

describe("incremental update", () => {
  it("re-indexes only the tools that changed on one server", () => {
    const index = createToolSearchIndex();
    const first = index.setServerTools("s", [
      tool("alpha", "First."),
      tool("beta", "Second."),
      tool("gamma", "Third."),
    ]);
    expect(first).toEqual({ added: 3, updated: 0, removed: 0, unchanged: 0 });
    index.setServerTools("other", [tool("delta", "Fourth.")]);
    const change = index.setServerTools("s", [
      tool("alpha", "First."),
      tool("beta", "Now about kittens."),
      tool("omega", "New."),
    ]);
    expect(change).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 1 });
    expect(index.size).toBe(4);
    expect(names(index.search("kittens", { limit: 5 }))).toEqual(["s:beta"]);
    expect(index.search("second", { limit: 5 })).toEqual([]);
    expect(index.search("gamma", { limit: 5 })).toEqual([]);
    expect(names(index.search("omega", { limit: 5 }))).toEqual(["s:omega"]);
    expect(names(index.search("fourth", { limit: 5 }))).toEqual(["other:delta"]);
  });

  it("drops a removed server's tools", () => {
    const index = createToolSearchIndex();
    index.setServerTools("s", [tool("alpha", "First.")]);
    index.setServerTools("t", [tool("beta", "First.")]);
    expect(index.removeServer("s")).toBe(1);
    expect(index.removeServer("s")).toBe(0);
    expect(index.servers()).toEqual(["t"]);
    expect(names(index.search("first", { limit: 5 }))).toEqual(["t:beta"]);
  });

  it("hands back the latest tool object even when its indexed text is unchanged", () => {
    const index = createToolSearchIndex();
    index.setServerTools("s", [tool("alpha", "First.")]);
    const fresh = { ...tool("alpha", "First."), annotations: { readOnlyHint: true } };
    expect(index.setServerTools("s", [fresh]).unchanged).toBe(1);
    expect(index.search("alpha", { limit: 1 })[0]?.tool).toBe(fresh);
  });
});
