import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createLogManager,
  diagnose,
  evidenceFromError,
  evidenceFromExit,
  lastErrorFromLogLines,
  logServerError,
  mergeEvidence,
} from "../src/index.ts";

/** Shaped like @mcpproxy/lifecycle's LifecycleError. */
class FakeLifecycleError extends Error {
  readonly code = "STARTUP_TIMEOUT";
  readonly shortMessage = "server slow did not finish starting within 30s (phase: initialize)";
  readonly serverName = "slow";
  readonly stderrTail = ["npm warn exec The following package was not found and will be installed"];
  readonly exit = undefined;
  readonly image = "node:20";
}

describe("evidenceFromError / evidenceFromExit", () => {
  it("reads a lifecycle-shaped error", () => {
    expect(evidenceFromError(new FakeLifecycleError("long message"))).toEqual({
      serverName: "slow",
      errorCode: "STARTUP_TIMEOUT",
      errorMessage: "server slow did not finish starting within 30s (phase: initialize)",
      stderr: ["npm warn exec The following package was not found and will be installed"],
      image: "node:20",
    });
  });

  it("reads exit infos, including OOMKilled", () => {
    const exit = { exitCode: 137, oomKilled: true, containerError: "", stderrTail: [] };
    expect(evidenceFromExit(exit)).toEqual({
      exitCode: 137,
      stderr: [],
      inspect: { oomKilled: true, exitCode: 137, error: undefined },
    });
    const error = { code: "PROCESS_EXITED", message: "exited", exit };
    expect(diagnose(evidenceFromError(error)).map((f) => f.code)).toEqual(["oom-killed"]);
  });

  it("tolerates anything thrown", () => {
    expect(evidenceFromError(undefined)).toEqual({});
    expect(evidenceFromError("boom")).toEqual({ errorMessage: "boom" });
    expect(evidenceFromError(42)).toEqual({});
    expect(evidenceFromError(new Error("plain"))).toMatchObject({
      errorMessage: "plain",
      errorCode: undefined,
    });
  });
});

describe("mergeEvidence", () => {
  it("keeps the first value of each field and joins stderr without repeating a tail", () => {
    const merged = mergeEvidence(
      { serverName: "a", stderr: ["one", "two"], exitCode: 1 },
      { serverName: "b", stderr: ["one", "two"], errorCode: "X" },
      { stderr: ["three"] },
    );
    expect(merged).toEqual({ serverName: "a", exitCode: 1, errorCode: "X", stderr: ["one", "two", "three"] });
  });
});

describe("logServerError", () => {
  it("writes the error with its code to both logs, and reads back as evidence", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-diag-err-"));
    const logs = createLogManager({ logDir: dir, level: "info" });
    try {
      logServerError(logs, "slow", new FakeLifecycleError("long message"));
      const lines = await logs.readServerLog("slow");
      expect(JSON.parse(lines[0] ?? "")).toMatchObject({
        level: "error",
        msg: "Server slow failed: server slow did not finish starting within 30s (phase: initialize)",
        err: { code: "STARTUP_TIMEOUT", type: "FakeLifecycleError" },
      });
      expect(lastErrorFromLogLines(lines)).toEqual({
        code: "STARTUP_TIMEOUT",
        message: "server slow did not finish starting within 30s (phase: initialize)",
      });
      expect(await logs.readMainLog()).toHaveLength(1);
      expect(lastErrorFromLogLines(["not json", '{"level":"info","msg":"x"}'])).toBeUndefined();
    } finally {
      await logs.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
