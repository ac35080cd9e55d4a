import { describe, expect, it } from "vitest";
import { DETAILS_WORD_CAP, splitFirstSentence, toolFields } from "../src/fields.ts";

describe("splitFirstSentence", () => {
  it("splits at the first sentence end or line break", () => {
    expect(splitFirstSentence("Read a file. Supports UTF-8 and more.")).toEqual({
      summary: "Read a file.",
      rest: "Supports UTF-8 and more.",
    });
    expect(splitFirstSentence("List pods\nin a namespace")).toEqual({
      summary: "List pods",
      rest: "in a namespace",
    });
    expect(splitFirstSentence("Version 1.2 of the tool")).toEqual({
      summary: "Version 1.2 of the tool",
      rest: "",
    });
  });
});

describe("toolFields", () => {
  it("caps the description past its first sentence and keeps parameter names with their descriptions", () => {
    const long = Array.from({ length: 500 }, (_, i) => `word${i}`).join(" ");
    const fields = toolFields("github", {
      name: "create_issue",
      annotations: { title: "Create issue" },
      description: `Create an issue. ${long}`,
      inputSchema: {
        type: "object",
        properties: { owner: { type: "string", description: "Repository owner" }, repo: { type: "string" } },
      },
    });
    expect(fields.title).toBe("Create issue");
    expect(fields.summary).toBe("Create an issue.");
    expect(fields.details.split(" ")).toHaveLength(DETAILS_WORD_CAP);
    expect(fields.params).toBe("owner Repository owner repo");
    expect(fields.server).toBe("github");
  });
});
