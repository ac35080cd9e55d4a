import { describe, expect, it } from "vitest";
import * as api from "../src/index.ts";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "DETAILS_WORD_CAP",
      "FIELD_BOOST",
      "SERVER_MATCH_BOOST",
      "SYNONYMS",
      "analyze",
      "createToolSearchIndex",
      "splitFirstSentence",
      "termsOfWord",
      "toolFields",
      "words",
    ]);
  });

  it("weights fields as documented: name > title > first sentence = server > rest > parameters", () => {
    const b = api.FIELD_BOOST;
    expect(b.name).toBeGreaterThan(b.title);
    expect(b.title).toBeGreaterThan(b.summary);
    expect(b.summary).toBe(b.server);
    expect(b.server).toBeGreaterThan(b.details);
    expect(b.details).toBeGreaterThan(b.params);
  });
});
