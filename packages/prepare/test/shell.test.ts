import { describe, expect, it } from "vitest";
import { shellJoin, shellQuote } from "../src/index.ts";
import { splitSimpleScript } from "../src/shell.ts";

describe("shell words", () => {
  it("quotes only what needs quoting, single quotes included", () => {
    expect(shellQuote("mcp-server@1.2")).toBe("mcp-server@1.2");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's $HOME")).toBe(`'it'"'"'s $HOME'`);
    expect(shellJoin(["echo", "a;b"])).toBe("echo 'a;b'");
  });

  it("splits plain scripts and refuses what it does not model", () => {
    expect(splitSimpleScript(`pip install 'a b' "c\\"d" e\\ f && run`)).toEqual([
      { word: "pip" },
      { word: "install" },
      { word: "a b" },
      { word: 'c"d' },
      { word: "e f" },
      { operator: "&&" },
      { word: "run" },
    ]);
    for (const script of ["a | b", "a > f", "a $(b)", 'a "$X"', "a || b", "a 'open", "a *"]) {
      expect(splitSimpleScript(script)).toBeUndefined();
    }
  });
});
