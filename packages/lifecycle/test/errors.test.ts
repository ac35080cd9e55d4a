import { describe, expect, it } from "vitest";
import { LifecycleError } from "../src/index.ts";

describe("LifecycleError", () => {
  it("has a one-sentence shortMessage and a message with the stderr tail", () => {
    const cause = new Error("underlying");
    const error = new LifecycleError("PROCESS_EXITED", "server x ended: exited with code 1", {
      phase: "initialize",
      serverName: "x",
      stderrTail: ["boom", "at line 3"],
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("LifecycleError");
    expect(error.shortMessage).toBe("server x ended: exited with code 1");
    expect(error.message).toBe("server x ended: exited with code 1\nlast stderr lines:\nboom\nat line 3");
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ code: "PROCESS_EXITED", phase: "initialize", serverName: "x" });
    expect(new LifecycleError("STOPPED", "stopped").message).toBe("stopped");
  });
});
