import type { DatabaseSync } from "node:sqlite";
import { SecurityError } from "../errors.ts";

/** One schema step. `version` is stored in PRAGMA user_version once `up` succeeded. */
export interface Migration {
  version: number;
  description: string;
  up: (db: DatabaseSync) => void;
}

/** The schema history. Never edit a released step: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "server trust, baselines, activity log",
    up: (db) =>
      db.exec(`
        CREATE TABLE servers (
          name TEXT PRIMARY KEY,
          trust TEXT NOT NULL CHECK (trust IN ('trusted', 'quarantined')),
          changed_by TEXT NOT NULL,
          changed_at TEXT NOT NULL
        );
        CREATE TABLE baselines (
          server TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('tool', 'prompt', 'resource')),
          key TEXT NOT NULL,
          hash TEXT NOT NULL,
          canonical TEXT NOT NULL,
          approved_by TEXT NOT NULL,
          approved_at TEXT NOT NULL,
          PRIMARY KEY (server, kind, key)
        );
        CREATE TABLE activity (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          time TEXT NOT NULL,
          session TEXT,
          server TEXT NOT NULL,
          tool TEXT NOT NULL,
          duration_ms INTEGER NOT NULL,
          outcome TEXT NOT NULL,
          argument_bytes INTEGER NOT NULL,
          result_bytes INTEGER NOT NULL,
          argument_keys TEXT NOT NULL
        );
      `),
  },
  {
    version: 2,
    description: "trust reason and pin time; activity error, argument values, row size for retention",
    up: (db) =>
      db.exec(`
        ALTER TABLE servers ADD COLUMN reason TEXT;
        ALTER TABLE servers ADD COLUMN pinned_at TEXT;
        UPDATE servers SET pinned_at = (SELECT MIN(approved_at) FROM baselines b WHERE b.server = servers.name);
        ALTER TABLE activity ADD COLUMN error TEXT;
        ALTER TABLE activity ADD COLUMN argument_values TEXT;
        ALTER TABLE activity ADD COLUMN row_bytes INTEGER NOT NULL DEFAULT 0;
        UPDATE activity SET row_bytes = 64 + length(time) + length(coalesce(session, '')) + length(server)
          + length(tool) + length(outcome) + length(argument_keys);
        CREATE INDEX activity_time ON activity (time);
        CREATE INDEX activity_server_tool_time ON activity (server, tool, time);
      `),
  },
];

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/**
 * Brings the database to the newest version. Each step runs in its own transaction together
 * with its user_version bump, so a failed step leaves the file exactly at the previous version.
 */
export function applyMigrations(
  db: DatabaseSync,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new SecurityError(
      "STORE_SCHEMA_TOO_NEW",
      `${file} has schema version ${current}, newer than this mcpproxy understands (${latest}); upgrade mcpproxy or use another state directory`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      migration.up(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec("COMMIT");
    } catch (cause) {
      db.exec("ROLLBACK");
      throw new SecurityError(
        "STORE_MIGRATION_FAILED",
        `migrating ${file} to schema version ${migration.version} (${migration.description}) failed; the file is unchanged at version ${schemaVersion(db)}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }
  return schemaVersion(db);
}
