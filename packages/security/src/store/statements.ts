import type { DatabaseSync, StatementSync } from "node:sqlite";

// Compiling SQL costs more than running it (a SELECT by key: ~8 µs prepared anew, ~3 µs
// reused), and the proxy runs the same few statements on every tool call.
const byDatabase = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/** `db.prepare(sql)`, compiled once per connection and reused (statements die with the connection). */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let cache = byDatabase.get(db);
  if (cache === undefined) {
    cache = new Map();
    byDatabase.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
