import { describe, expect, it } from "vitest";
import { withoutAutoRemove } from "../src/launch.ts";

describe("withoutAutoRemove", () => {
  it("drops --rm from the options, so the lifecycle can inspect an ended container before removing it", () => {
    expect(withoutAutoRemove(["run", "-i", "--rm", "--name=x", "img", "cmd"], "img")).toEqual([
      "run",
      "-i",
      "--name=x",
      "img",
      "cmd",
    ]);
  });

  it("leaves a --rm that belongs to the server's own arguments", () => {
    const argv = ["run", "-i", "--name=x", "img", "cleanup-tool", "--rm"];
    expect(withoutAutoRemove(argv, "img")).toEqual(argv);
  });
});
