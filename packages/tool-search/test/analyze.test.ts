import { describe, expect, it } from "vitest";
import { analyze, termsOfWord, words } from "../src/analyze.ts";

describe("words", () => {
  it("splits snake_case, kebab-case and punctuation", () => {
    expect(words("get_pull_request")).toEqual(["get", "pull", "request"]);
    expect(words("API-post-search")).toEqual(["api", "post", "search"]);
    expect(words("maps.reverse geocode! ec2 k8s")).toEqual(["maps", "reverse", "geocode", "ec2", "k8s"]);
  });

  it("keeps a camelCase word whole and adds its parts; a plural acronym stays whole", () => {
    expect(words("getHTTPResponse")).toEqual(["gethttpresponse", "get", "http", "response"]);
    expect(words("GitHub")).toEqual(["github", "git", "hub"]);
    expect(words("open PRs")).toEqual(["open", "prs"]);
  });
});

describe("analyze", () => {
  it("stems inflections to one term (Porter)", () => {
    expect(analyze("directories")).toEqual(analyze("directory"));
    expect(analyze("merging")).toEqual(analyze("merge"));
    expect(analyze("requests")).toEqual(analyze("request"));
    expect(analyze("screenshots")).toEqual(analyze("screenshot"));
  });

  it("drops stop words", () => {
    expect(analyze("show me the logs of the pod")).toEqual(analyze("show logs pod"));
    expect(termsOfWord("the")).toEqual([]);
  });

  it("maps domain synonyms and abbreviations onto the words tool authors use", () => {
    expect(analyze("folder")).toEqual(analyze("directory"));
    expect(analyze("PRs")).toEqual(analyze("pull requests"));
    expect(analyze("picture")).toEqual(analyze("image"));
    expect(analyze("memories")).toEqual(analyze("memory"));
    expect(analyze("k8s")).toEqual(analyze("kubernetes"));
    expect(analyze("repo")).toEqual(analyze("repository"));
  });
});
