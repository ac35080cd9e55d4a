import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, test } from "vitest";
import {
  applyMigrations,
  MIGRATIONS,
  schemaVersion,
  SecurityStore,
  type Migration,
} from "../../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const tempDir = useTempDirs();

function versionOneDatabase(dir: string): string {
  const file = path.join(dir, "security.db");
  const db = new DatabaseSync(file);
  applyMigrations(db, file, MIGRATIONS.slice(0, 1));
  db.exec(`
    INSERT INTO servers VALUES ('github', 'trusted', 'config', '2026-01-01T00:00:00.000Z');
    INSERT INTO servers VALUES ('fresh', 'quarantined', 'rest', '2026-01-02T00:00:00.000Z');
    INSERT INTO baselines VALUES ('github', 'tool', 'create_issue', 'abc', '{"name":"create_issue"}', 'cli', '2026-01-03T00:00:00.000Z');
    INSERT INTO activity (time, session, server, tool, duration_ms, outcome, argument_bytes, result_bytes, argument_keys)
      VALUES ('2026-01-04T00:00:00.000Z', 's1', 'github', 'create_issue', 12, 'success', 40, 300, '["title"]');
  `);
  db.close();
  return file;
}

describe("schema migrations", () => {
  test("a version-1 file is migrated to the latest version with its data kept", () => {
    const dir = tempDir();
    versionOneDatabase(dir);
    const store = SecurityStore.open({ stateDir: dir });
    try {
      expect(store.getServer("github")).toEqual({
        name: "github",
        trust: "trusted",
        changedBy: "config",
        changedAt: "2026-01-01T00:00:00.000Z",
        pinnedAt: "2026-01-03T00:00:00.000Z",
      });
      expect(store.getServer("fresh")?.pinnedAt).toBeUndefined();
      expect(store.getBaseline("github")).toEqual([
        { kind: "tool", key: "create_issue", hash: "abc", canonical: '{"name":"create_issue"}' },
      ]);
      expect(store.getBaseline("fresh")).toBeNull();
      const [entry] = store.queryActivity();
      expect(entry).toMatchObject({
        server: "github",
        tool: "create_issue",
        outcome: "success",
        argumentKeys: ["title"],
      });
      expect(store.activityStats().bytes).toBeGreaterThan(64);
    } finally {
      store.close();
    }
    const db = new DatabaseSync(path.join(dir, "security.db"));
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  test("a failing step rolls back completely and leaves the previous version", () => {
    const dir = tempDir();
    const file = versionOneDatabase(dir);
    const broken: Migration = {
      version: 2,
      description: "broken on purpose",
      up: (db) => {
        db.exec("CREATE TABLE half_done (x INTEGER)");
        db.exec("ALTER TABLE no_such_table ADD COLUMN y TEXT");
      },
    };
    const db = new DatabaseSync(file);
    expect(() => applyMigrations(db, file, [MIGRATIONS[0]!, broken])).toThrow(
      expect.objectContaining({
        code: "STORE_MIGRATION_FAILED",
        message: expect.stringContaining("the file is unchanged at version 1") as string,
      }),
    );
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
    // The real migration still applies afterwards.
    SecurityStore.open({ stateDir: dir }).close();
  });

  test("a file from a newer mcpproxy is refused, not touched", () => {
    const dir = tempDir();
    const file = path.join(dir, "security.db");
    const db = new DatabaseSync(file);
    db.exec("PRAGMA user_version = 99");
    db.close();
    expect(() => SecurityStore.open({ stateDir: dir })).toThrow(
      expect.objectContaining({
        code: "STORE_SCHEMA_TOO_NEW",
        message: expect.stringContaining("schema version 99") as string,
      }),
    );
  });
});
