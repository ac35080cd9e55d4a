import { describe, expect, it } from "vitest";
import { readmeSnippets } from "./readme-snippets.ts";

describe("readmeSnippets", () => {
  it("returns ts and typescript blocks in order and skips other languages", () => {
    const markdown = [
      "# Title",
      "```sh",
      "npm i x",
      "```",
      "```ts",
      "const a = 1;",
      "```",
      "text",
      "```typescript",
      "const b = 2;",
      "```",
      "```tsx",
      "const c = <div />;",
      "```",
    ].join("\n");
    expect(readmeSnippets(markdown)).toEqual(["const a = 1;\n", "const b = 2;\n"]);
  });

  it("returns nothing for a document without code", () => {
    expect(readmeSnippets("just prose")).toEqual([]);
  });
});
