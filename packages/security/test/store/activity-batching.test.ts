import { DatabaseSync } from "node:sqlite";
import { describe, expect, test, vi } from "vitest";
import {
  ACTIVITY_BATCH_ROWS,
  SecurityStore,
  type ActivityInput,
  type SecurityError,
} from "../../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const tempDir = useTempDirs();

function call(tool: string): ActivityInput {
  return {
    server: "s",
    tool,
    durationMs: 1,
    outcome: "success",
    argumentBytes: 2,
    resultBytes: 3,
    argumentKeys: [],
  };
}

/** What a second connection (another process) sees of the activity table. */
function rowsSeenFromOutside(file: string): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare("SELECT tool FROM activity ORDER BY id").all() as { tool: string }[]).map(
      (r) => r.tool,
    );
  } finally {
    db.close();
  }
}

describe("activity log batching", () => {
  test("recorded calls are written together shortly after; this store's reads see them at once", async () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      store.recordActivity(call("a"));
      store.recordActivity(call("b"));
      expect(rowsSeenFromOutside(store.file)).toEqual([]);
      await vi.waitFor(() => expect(rowsSeenFromOutside(store.file)).toEqual(["a", "b"]), {
        timeout: 5_000,
        interval: 10,
      });
      store.recordActivity(call("c"));
      expect(store.queryActivity().map((e) => e.tool)).toEqual(["c", "b", "a"]);
      store.recordActivity(call("d"));
      expect(store.activityStats().entries).toBe(4);
      expect(rowsSeenFromOutside(store.file)).toEqual(["a", "b", "c", "d"]);
    } finally {
      store.close();
    }
  });

  test(`${ACTIVITY_BATCH_ROWS} waiting calls are written without waiting for the timer`, () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      for (let i = 0; i < ACTIVITY_BATCH_ROWS - 1; i++) store.recordActivity(call(`t${i}`));
      expect(rowsSeenFromOutside(store.file)).toHaveLength(0);
      store.recordActivity(call("last"));
      const seen = rowsSeenFromOutside(store.file);
      expect(seen).toHaveLength(ACTIVITY_BATCH_ROWS);
      expect(seen.at(-1)).toBe("last");
    } finally {
      store.close();
    }
  });

  test("close() writes what waits; the entry keeps the time it was recorded at", () => {
    const stateDir = tempDir();
    let clock = new Date("2026-04-01T08:00:00.000Z");
    const store = SecurityStore.open({ stateDir, now: () => clock });
    store.recordActivity(call("at-eight"));
    clock = new Date("2026-04-01T09:00:00.000Z");
    store.close();
    expect(() => store.recordActivity(call("late"))).toThrow(
      expect.objectContaining({ code: "STORE_CLOSED" }),
    );
    const reopened = SecurityStore.open({ stateDir });
    try {
      expect(reopened.queryActivity()).toEqual([
        expect.objectContaining({ tool: "at-eight", time: "2026-04-01T08:00:00.000Z" }),
      ]);
    } finally {
      reopened.close();
    }
  });

  test("a batch that cannot be written is a STORE_WRITE_FAILED naming how many entries were lost", async () => {
    const errors: SecurityError[] = [];
    const store = SecurityStore.open({ stateDir: tempDir(), onActivityError: (e) => errors.push(e) });
    const saboteur = new DatabaseSync(store.file);
    try {
      saboteur.exec("DROP TABLE activity");
      store.recordActivity(call("a"));
      store.recordActivity(call("b"));
      await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5_000, interval: 10 });
      expect(errors[0]).toMatchObject({
        code: "STORE_WRITE_FAILED",
        message: expect.stringMatching(
          /^2 activity log entries could not be written to .*security\.db: .*activity/,
        ) as string,
      });
      store.recordActivity(call("c"));
      expect(() => store.flushActivity()).toThrow(
        expect.objectContaining({
          code: "STORE_WRITE_FAILED",
          message: expect.stringContaining("1 activity log entry") as string,
        }),
      );
      store.flushActivity(); // nothing waits any more: the failed entries are not retried forever
    } finally {
      saboteur.close();
      store.close();
    }
  });
});
