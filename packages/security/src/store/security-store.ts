import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { TrustState } from "../decision.ts";
import type { DefinitionKind } from "../definitions.ts";
import { SecurityError } from "../errors.ts";
import type { Fingerprint } from "../fingerprint.ts";
import {
  activityBytes,
  activityRow,
  insertActivityRows,
  pruneActivity,
  selectActivity,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityInput,
  type ActivityRowValues,
} from "./activity-log.ts";
import { applyMigrations, schemaVersion } from "./migrations.ts";
import { statement } from "./statements.ts";

export const SECURITY_DB_FILE = "security.db";
export const DEFAULT_MAX_ACTIVITY_BYTES = 64 * 1024 * 1024;
/** Recorded calls wait at most this long before they are written (in one transaction). */
export const ACTIVITY_FLUSH_MS = 100;
/** ...or until this many are waiting. */
export const ACTIVITY_BATCH_ROWS = 256;

export interface SecurityStoreOptions {
  /** The state directory (created if missing); the database is `<stateDir>/security.db`. */
  stateDir: string;
  /** Activity log retention: oldest entries go once the log holds more. Default 64 MiB. */
  maxActivityBytes?: number;
  /** Clock (tests). */
  now?: () => Date;
  /**
   * Told when a batch of recorded calls could not be written in the background (the batch is
   * lost, the error names how many). Default: a process warning.
   */
  onActivityError?: (error: SecurityError) => void;
}

export interface ServerTrust {
  name: string;
  trust: TrustState;
  changedBy: string;
  changedAt: string;
  reason?: string;
  /** When a baseline was first recorded; absent = never pinned (trust on first use pending). */
  pinnedAt?: string;
}

interface ServerRow {
  name: string;
  trust: TrustState;
  changed_by: string;
  changed_at: string;
  reason: string | null;
  pinned_at: string | null;
}

/** Trust states, baselines and the activity log in one node:sqlite file (no native addon). */
export class SecurityStore {
  readonly file: string;
  /** True when this open created the database: the proxy's first start with this state directory
   *  (servers already in the config are trusted then, unless quarantine_new_servers is set). */
  readonly created: boolean;
  readonly #now: () => Date;
  readonly #maxActivityBytes: number;
  readonly #onActivityError: (error: SecurityError) => void;
  #db: DatabaseSync | undefined;
  #activityBytes: number;
  /** Recorded calls not written yet: see recordActivity. */
  #pendingActivity: ActivityRowValues[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  /**
   * Trust records by server name (null: none), read on every tool call. Own writes clear it;
   * another connection's writes (a second process) change PRAGMA data_version, which clears it too.
   */
  readonly #trust = new Map<string, Readonly<ServerTrust> | null>();
  #trustVersion: unknown;

  private constructor(db: DatabaseSync, file: string, created: boolean, options: SecurityStoreOptions) {
    this.#db = db;
    this.file = file;
    this.created = created;
    this.#now = options.now ?? (() => new Date());
    this.#maxActivityBytes = options.maxActivityBytes ?? DEFAULT_MAX_ACTIVITY_BYTES;
    this.#activityBytes = activityBytes(db);
    this.#onActivityError = options.onActivityError ?? ((error) => process.emitWarning(error));
  }

  /** Opens (creating and migrating as needed) the store in `stateDir`. */
  static open(options: SecurityStoreOptions): SecurityStore {
    const max = options.maxActivityBytes;
    if (max !== undefined && (!Number.isInteger(max) || max < 1024)) {
      throw new SecurityError(
        "INVALID_ARGUMENT",
        `maxActivityBytes must be an integer of at least 1024, got ${max}`,
      );
    }
    const file = path.join(path.resolve(options.stateDir), SECURITY_DB_FILE);
    let db: DatabaseSync;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new DatabaseSync(file);
      db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
    } catch (cause) {
      throw new SecurityError("STORE_OPEN_FAILED", `cannot open ${file}: ${errorText(cause)}`, { cause });
    }
    let created: boolean;
    try {
      created = schemaVersion(db) === 0;
      applyMigrations(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SecurityStore(db, file, created, options);
  }

  /** Writes the calls still waiting, then closes the database. */
  close(): void {
    if (this.#db !== undefined) this.#flushReporting();
    this.#db?.close();
    this.#db = undefined;
  }

  get #open(): DatabaseSync {
    if (this.#db === undefined) throw closedError(this.file);
    return this.#db;
  }

  getServer(name: string): ServerTrust | undefined {
    const db = this.#open;
    const version = (statement(db, "PRAGMA data_version").get() as { data_version: unknown }).data_version;
    if (version !== this.#trustVersion) {
      this.#trust.clear();
      this.#trustVersion = version;
    }
    const cached = this.#trust.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const row = statement(db, "SELECT * FROM servers WHERE name = ?").get(name) as ServerRow | undefined;
    const server = row === undefined ? undefined : Object.freeze(toServer(row));
    this.#trust.set(name, server ?? null);
    return server;
  }

  listServers(): ServerTrust[] {
    return (statement(this.#open, "SELECT * FROM servers ORDER BY name").all() as unknown as ServerRow[]).map(
      toServer,
    );
  }

  /** Returns the server's trust record, creating it with `initial` the first time it is seen. */
  ensureServer(name: string, initial: TrustState, by: string, reason?: string): ServerTrust {
    statement(
      this.#open,
      "INSERT OR IGNORE INTO servers (name, trust, changed_by, changed_at, reason) VALUES (?, ?, ?, ?, ?)",
    ).run(name, checkTrust(initial), by, this.#now().toISOString(), reason ?? null);
    this.#trust.delete(name);
    return this.getServer(name) as ServerTrust;
  }

  setTrust(name: string, trust: TrustState, by: string, reason?: string): ServerTrust {
    statement(
      this.#open,
      `INSERT INTO servers (name, trust, changed_by, changed_at, reason) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET trust = excluded.trust, changed_by = excluded.changed_by,
         changed_at = excluded.changed_at, reason = excluded.reason`,
    ).run(name, checkTrust(trust), by, this.#now().toISOString(), reason ?? null);
    this.#trust.delete(name);
    return this.getServer(name) as ServerTrust;
  }

  /** The approved fingerprints of a server, or `null` when it was never pinned. */
  getBaseline(server: string, kind?: DefinitionKind): Fingerprint[] | null {
    if (this.getServer(server)?.pinnedAt === undefined) return null;
    const rows = statement(
      this.#open,
      `SELECT kind, key, hash, canonical FROM baselines WHERE server = ? ${kind ? "AND kind = ?" : ""} ORDER BY kind, key`,
    ).all(...(kind ? [server, kind] : [server])) as unknown as Fingerprint[];
    return rows.map((row) => ({ kind: row.kind, key: row.key, hash: row.hash, canonical: row.canonical }));
  }

  /**
   * Records approved fingerprints and marks the server pinned, atomically. `replace: "tool"` (or
   * "prompt", "resource") first drops the server's baseline of that kind, so the fingerprints given
   * become the whole approved set (approving a server, even one that now offers none); without it
   * they are upserted. `trust: "trusted"` also lifts a quarantine in the same transaction.
   */
  recordBaseline(
    server: string,
    fingerprints: readonly Fingerprint[],
    options: { by: string; replace?: DefinitionKind; trust?: TrustState },
  ): void {
    const db = this.#open;
    const now = this.#now().toISOString();
    db.exec("BEGIN IMMEDIATE");
    try {
      this.ensureServer(server, options.trust ?? "trusted", options.by);
      if (options.trust !== undefined) this.setTrust(server, options.trust, options.by, "approved");
      if (options.replace !== undefined) {
        statement(db, "DELETE FROM baselines WHERE server = ? AND kind = ?").run(server, options.replace);
      }
      const upsert = statement(
        db,
        `INSERT INTO baselines (server, kind, key, hash, canonical, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (server, kind, key) DO UPDATE SET hash = excluded.hash, canonical = excluded.canonical,
           approved_by = excluded.approved_by, approved_at = excluded.approved_at`,
      );
      for (const entry of fingerprints)
        upsert.run(server, entry.kind, entry.key, entry.hash, entry.canonical, options.by, now);
      statement(db, "UPDATE servers SET pinned_at = COALESCE(pinned_at, ?) WHERE name = ?").run(now, server);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    } finally {
      // Read inside the transaction (committed or rolled back since): read again.
      this.#trust.delete(server);
    }
  }

  /** Forgets a server's trust and baselines (it was removed from the config); activity stays. */
  forgetServer(name: string): void {
    const db = this.#open;
    db.exec("BEGIN IMMEDIATE");
    try {
      statement(db, "DELETE FROM baselines WHERE server = ?").run(name);
      statement(db, "DELETE FROM servers WHERE name = ?").run(name);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#trust.delete(name);
    }
  }

  /**
   * Records a call in the activity log. The entry is checked now (INVALID_ARGUMENT) and written
   * with the others of the next ACTIVITY_FLUSH_MS, or at once when ACTIVITY_BATCH_ROWS wait: one
   * transaction for many calls instead of one per call. Reads through this store (queryActivity,
   * activityStats) and close() write what waits first, so they never miss an entry.
   */
  recordActivity(entry: ActivityInput): void {
    if (this.#db === undefined) throw closedError(this.file);
    this.#pendingActivity.push(activityRow(entry, this.#now()));
    if (this.#pendingActivity.length >= ACTIVITY_BATCH_ROWS) this.#flushReporting();
    else this.#flushTimer ??= setTimeout(() => this.#flushReporting(), ACTIVITY_FLUSH_MS);
  }

  /**
   * Writes the recorded calls that wait, then applies size retention (down to 90% of the cap).
   * Throws STORE_WRITE_FAILED when they cannot be written (they are dropped: the message says how many).
   */
  flushActivity(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const rows = this.#pendingActivity;
    if (rows.length === 0) return;
    this.#pendingActivity = [];
    const db = this.#open;
    try {
      this.#activityBytes += insertActivityRows(db, rows);
      if (this.#activityBytes > this.#maxActivityBytes) {
        this.#activityBytes = pruneActivity(db, Math.floor(this.#maxActivityBytes * 0.9));
      }
    } catch (cause) {
      throw new SecurityError(
        "STORE_WRITE_FAILED",
        `${rows.length} activity log entr${rows.length === 1 ? "y" : "ies"} could not be written to ${this.file}: ${errorText(cause)}`,
        { cause },
      );
    }
  }

  /** flushActivity for a timer or a reader: a failure goes to onActivityError, not to the caller. */
  #flushReporting(): void {
    try {
      this.flushActivity();
    } catch (error) {
      this.#onActivityError(error as SecurityError);
    }
  }

  queryActivity(filter?: ActivityFilter): ActivityEntry[] {
    this.#flushReporting();
    return selectActivity(this.#open, filter);
  }

  /** Entries and stored bytes of the activity log (what retention counts). */
  activityStats(): { entries: number; bytes: number } {
    this.#flushReporting();
    const row = statement(this.#open, "SELECT COUNT(*) AS entries FROM activity").get() as {
      entries: number;
    };
    return { entries: row.entries, bytes: this.#activityBytes };
  }
}

function toServer(row: ServerRow): ServerTrust {
  return {
    name: row.name,
    trust: row.trust,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.pinned_at === null ? {} : { pinnedAt: row.pinned_at }),
  };
}

function checkTrust(trust: TrustState): TrustState {
  if (trust !== "trusted" && trust !== "quarantined") {
    throw new SecurityError(
      "INVALID_ARGUMENT",
      `trust must be "trusted" or "quarantined", got ${JSON.stringify(trust)}`,
    );
  }
  return trust;
}

function closedError(file: string): SecurityError {
  return new SecurityError("STORE_CLOSED", `the security store ${file} is closed`);
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
