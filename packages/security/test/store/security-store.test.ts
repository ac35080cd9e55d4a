import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { approveDefinitions, SecurityStore, summarizeCall, type ToolDefinition } from "../../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const tempDir = useTempDirs();
const tools: ToolDefinition[] = [
  { name: "read_file", description: "Read a file." },
  { name: "write_file", description: "Write a file." },
];

describe("SecurityStore", () => {
  test("trust, baselines and activity survive close and reopen", () => {
    const stateDir = path.join(tempDir(), "nested", "state");
    const first = SecurityStore.open({ stateDir });
    expect(first.file).toBe(path.join(stateDir, "security.db"));
    expect(first.created).toBe(true);
    first.ensureServer("fs", "trusted", "config");
    first.ensureServer("added", "quarantined", "rest", "added at run time");
    first.recordBaseline("fs", approveDefinitions("tool", tools), { by: "tofu" });
    first.recordActivity({
      server: "fs",
      tool: "read_file",
      durationMs: 5,
      outcome: "success",
      argumentBytes: 10,
      resultBytes: 99,
      argumentKeys: ["path"],
    });
    first.close();
    expect(() => first.listServers()).toThrow(expect.objectContaining({ code: "STORE_CLOSED" }));

    const second = SecurityStore.open({ stateDir });
    try {
      expect(second.created).toBe(false);
      expect(second.listServers().map(({ name, trust, changedBy }) => [name, trust, changedBy])).toEqual([
        ["added", "quarantined", "rest"],
        ["fs", "trusted", "config"],
      ]);
      expect(second.getServer("added")?.reason).toBe("added at run time");
      expect(second.getBaseline("fs")).toEqual(approveDefinitions("tool", tools));
      expect(second.getBaseline("added")).toBeNull();
      expect(second.queryActivity()).toEqual([
        expect.objectContaining({ tool: "read_file", resultBytes: 99 }),
      ]);
    } finally {
      second.close();
    }
  });

  test("ensureServer keeps an existing record; setTrust changes it with who and when", () => {
    let clock = new Date("2026-03-01T10:00:00.000Z");
    const store = SecurityStore.open({ stateDir: tempDir(), now: () => clock });
    try {
      store.ensureServer("s", "quarantined", "rest");
      expect(store.ensureServer("s", "trusted", "config").trust).toBe("quarantined");
      clock = new Date("2026-03-01T11:00:00.000Z");
      expect(store.setTrust("s", "trusted", "cli:alice", "reviewed")).toEqual({
        name: "s",
        trust: "trusted",
        changedBy: "cli:alice",
        changedAt: "2026-03-01T11:00:00.000Z",
        reason: "reviewed",
      });
      expect(() => store.setTrust("s", "maybe" as "trusted", "x")).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    } finally {
      store.close();
    }
  });

  test("approval with replace swaps the baseline and lifts the quarantine in one step", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      store.ensureServer("s", "quarantined", "rest");
      store.recordBaseline("s", approveDefinitions("tool", tools), { by: "cli" });
      const next = [{ name: "read_file", description: "Read a file, v2." }];
      store.recordBaseline("s", approveDefinitions("tool", next), {
        by: "cli:bob",
        replace: "tool",
        trust: "trusted",
      });
      expect(store.getBaseline("s", "tool")?.map((entry) => entry.key)).toEqual(["read_file"]);
      expect(store.getServer("s")).toMatchObject({
        trust: "trusted",
        changedBy: "cli:bob",
        reason: "approved",
      });
      store.recordBaseline("s", approveDefinitions("prompt", [{ name: "p" }]), { by: "cli" });
      expect(store.getBaseline("s")?.map((entry) => `${entry.kind}:${entry.key}`)).toEqual([
        "prompt:p",
        "tool:read_file",
      ]);
      // Approving a server that now offers no tools empties its tool baseline, prompts stay.
      store.recordBaseline("s", [], { by: "cli", replace: "tool" });
      expect(store.getBaseline("s")?.map((entry) => `${entry.kind}:${entry.key}`)).toEqual(["prompt:p"]);
      store.forgetServer("s");
      expect(store.getServer("s")).toBeUndefined();
      expect(store.getBaseline("s")).toBeNull();
    } finally {
      store.close();
    }
  });

  test("activity queries filter by server, tool, outcome and time, newest first", () => {
    let clock = new Date("2026-05-01T00:00:00.000Z");
    const store = SecurityStore.open({ stateDir: tempDir(), now: () => clock });
    try {
      const call = (server: string, tool: string, outcome: "success" | "refused"): void => {
        clock = new Date(clock.getTime() + 60_000);
        store.recordActivity({
          server,
          tool,
          outcome,
          session: "sess-1",
          durationMs: 3.6,
          ...summarizeCall({ arguments: { q: 1 } }),
        });
      };
      call("a", "x", "success");
      call("a", "y", "refused");
      call("b", "x", "success");
      expect(store.queryActivity().map((entry) => `${entry.server}/${entry.tool}`)).toEqual([
        "b/x",
        "a/y",
        "a/x",
      ]);
      expect(store.queryActivity({ server: "a" })).toHaveLength(2);
      expect(store.queryActivity({ server: "a", tool: "x" })[0]).toMatchObject({
        time: "2026-05-01T00:01:00.000Z",
        session: "sess-1",
        durationMs: 4,
        argumentKeys: ["q"],
      });
      expect(store.queryActivity({ outcome: "refused" }).map((entry) => entry.tool)).toEqual(["y"]);
      expect(store.queryActivity({ since: new Date("2026-05-01T00:02:00.000Z") })).toHaveLength(2);
      expect(store.queryActivity({ limit: 1 })).toHaveLength(1);
      expect(() => store.queryActivity({ limit: 0 })).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
      expect(() => store.queryActivity({ since: new Date("nope") })).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    } finally {
      store.close();
    }
  });

  test("argument values are stored only when given (already redacted)", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      const summary = summarizeCall({ arguments: { q: "hi", token: "t0p" }, logValues: true });
      store.recordActivity({
        server: "s",
        tool: "t",
        outcome: "error",
        error: "boom",
        durationMs: 1,
        ...summary,
      });
      expect(store.queryActivity()[0]).toMatchObject({
        error: "boom",
        argumentValues: { q: "hi", token: "[redacted]" },
      });
    } finally {
      store.close();
    }
  });

  test("retention by size drops the oldest entries", () => {
    const store = SecurityStore.open({ stateDir: tempDir(), maxActivityBytes: 4096 });
    try {
      for (let index = 0; index < 200; index += 1) {
        store.recordActivity({
          server: "s",
          tool: `t${index}`,
          outcome: "success",
          durationMs: 1,
          argumentBytes: 0,
          resultBytes: 0,
          argumentKeys: ["a", "b"],
        });
      }
      const stats = store.activityStats();
      expect(stats.bytes).toBeLessThanOrEqual(4096);
      const kept = store.queryActivity({ limit: 1000 });
      expect(kept.length).toBe(stats.entries);
      expect(kept[0]?.tool).toBe("t199");
      expect(kept.at(-1)?.tool).toBe(`t${200 - kept.length}`);
      expect(kept.length).toBeLessThan(200);
    } finally {
      store.close();
    }
  });

  test("bad entries and options are typed errors naming the field", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      expect(() =>
        store.recordActivity({
          server: "",
          tool: "t",
          outcome: "done" as "success",
          durationMs: -1,
          argumentBytes: 0,
          resultBytes: 0,
          argumentKeys: [],
        }),
      ).toThrow(
        expect.objectContaining({
          code: "INVALID_ARGUMENT",
          message:
            'activity entry rejected: server is empty; outcome "done" is not one of success, error, refused, timeout, cancelled; durationMs must be a non-negative number, got -1',
        }),
      );
    } finally {
      store.close();
    }
    expect(() => SecurityStore.open({ stateDir: tempDir(), maxActivityBytes: 10 })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("maxActivityBytes") as string,
      }),
    );
  });

  test("a state directory that cannot be created is STORE_OPEN_FAILED", () => {
    const file = path.join(tempDir(), "not-a-dir");
    writeFileSync(file, "");
    expect(() => SecurityStore.open({ stateDir: file })).toThrow(
      expect.objectContaining({
        code: "STORE_OPEN_FAILED",
        message: expect.stringContaining(file) as string,
      }),
    );
  });

  test("two stores on one state directory (server and a second process) see each other's writes", () => {
    const stateDir = tempDir();
    const server = SecurityStore.open({ stateDir });
    const other = SecurityStore.open({ stateDir });
    try {
      server.ensureServer("s", "quarantined", "rest");
      other.recordBaseline("s", approveDefinitions("tool", tools), {
        by: "cli",
        replace: "tool",
        trust: "trusted",
      });
      expect(server.getServer("s")?.trust).toBe("trusted");
      expect(server.getBaseline("s")).toHaveLength(2);
      other.recordActivity({
        server: "s",
        tool: "read_file",
        durationMs: 1,
        outcome: "success",
        argumentBytes: 0,
        resultBytes: 0,
        argumentKeys: [],
      });
      // Another store's entries appear once it writes them (its next flush).
      other.flushActivity();
      expect(server.queryActivity({ server: "s" })).toHaveLength(1);
    } finally {
      server.close();
      other.close();
    }
  });
});
