import { describe, expect, it } from "vitest";
import { DIRECT_NAME_PATTERN, directToolName, parseQualifiedName } from "../src/tool-names.ts";

describe("tool names", () => {
  it("splits <server>:<tool> at the first colon", () => {
    expect(parseQualifiedName("github:create_issue")).toEqual({ server: "github", tool: "create_issue" });
    expect(parseQualifiedName("s:ns:tool")).toEqual({ server: "s", tool: "ns:tool" });
    expect(parseQualifiedName("no-colon")).toBeUndefined();
    expect(parseQualifiedName(":tool")).toBeUndefined();
    expect(parseQualifiedName("server:")).toBeUndefined();
  });

  it("keeps plain names as <server>__<tool>", () => {
    expect(directToolName("everything", "echo")).toBe("everything__echo");
    expect(directToolName("my-srv", "get-sum")).toBe("my-srv__get-sum");
  });

  it("keeps every direct name within ^[a-zA-Z0-9_-]{1,64}$ and distinct", () => {
    const long = "a".repeat(80);
    const names = [
      directToolName("srv", long),
      directToolName("srv", `${long}b`),
      directToolName("my.server", "tool"),
      directToolName("my_server", "tool"),
      directToolName("ünï", "tööl/x"),
    ];
    for (const name of names) expect(name, name).toMatch(DIRECT_NAME_PATTERN);
    expect(new Set(names).size).toBe(names.length);
    expect(directToolName("srv", long)).toBe(directToolName("srv", long));
  });
});
