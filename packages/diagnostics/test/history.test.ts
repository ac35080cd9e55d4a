import { describe, expect, it } from "vitest";
import { diagnose, failureFromLogLines } from "../src/index.ts";

const line = (record: Record<string, unknown>): string =>
  JSON.stringify({ time: "2026-12-01T00:00:00.000Z", ...record });

const START = line({ level: "info", msg: "Docker isolation enabled for server: hog", memory_limit: "64m" });
const OOM_EXIT = line({
  level: "warn",
  exit_code: 137,
  oom_killed: true,
  msg: "exited: container was OOMKilled",
});
const OOM_ERROR = line({
  level: "error",
  time: "2026-12-01T00:00:05.000Z",
  msg: "Server hog failed",
  err: {
    type: "LifecycleError",
    code: "PROCESS_EXITED",
    phase: "initialize",
    shortMessage: "server hog ended during the initialize phase: container was OOMKilled (memory limit 64m)",
    exit: { exitCode: 137, oomKilled: true, stderrTail: [] },
    image: "node:22",
  },
});
const state = (next: string, previous: string): string =>
  line({ level: "info", state: next, previous, msg: `state: ${previous} -> ${next}` });

describe("failureFromLogLines", () => {
  it("rebuilds an OOM kill from the logged error and exit, which diagnose() names with a bigger memory_limit", () => {
    const recorded = failureFromLogLines([
      START,
      state("starting", "stopped"),
      OOM_EXIT,
      state("restarting", "starting"),
      OOM_ERROR,
      OOM_EXIT,
      state("failed", "starting"),
      OOM_ERROR,
      state("stopped", "failed"),
    ]);
    expect(recorded).toMatchObject({
      at: "2026-12-01T00:00:05.000Z",
      state: "stopped",
      phase: "initialize",
      code: "PROCESS_EXITED",
      failures: 2,
    });
    const findings = diagnose({
      ...recorded?.evidence,
      serverName: "hog",
      argv: ["run", "-i", "--memory=64m", "node:22", "node"],
    });
    expect(findings.map((f) => f.code)).toEqual(["oom-killed"]);
    expect(findings[0]?.configSnippet).toEqual({
      mcpServers: [{ name: "hog", isolation: { memory_limit: "128m" } }],
    });
  });

  it("keeps the phase of a startup timeout as evidence", () => {
    const recorded = failureFromLogLines([
      START,
      line({
        level: "error",
        err: {
          code: "STARTUP_TIMEOUT",
          phase: "initialize",
          shortMessage: "server slow did not start within 10s",
        },
      }),
    ]);
    const [finding] = diagnose({ ...recorded?.evidence, serverName: "slow" });
    expect(finding?.code).toBe("startup-timeout");
    expect(finding?.evidence).toContain("timed out in the initialize phase");
  });

  it("is nothing when the server became ready after the failure, or never failed", () => {
    expect(failureFromLogLines([START, OOM_ERROR, state("ready", "starting")])).toBeUndefined();
    expect(failureFromLogLines([START, state("ready", "starting"), "not json"])).toBeUndefined();
    // A crash after being ready is a failure again.
    expect(failureFromLogLines([START, state("ready", "starting"), OOM_ERROR])?.code).toBe("PROCESS_EXITED");
  });
});
