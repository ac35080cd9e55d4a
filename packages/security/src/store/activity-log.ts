import type { DatabaseSync } from "node:sqlite";
import { SecurityError } from "../errors.ts";
import { statement } from "./statements.ts";

/** How a call ended. `refused` = stopped by quarantine, pinning or the call policy. */
export type CallOutcome = "success" | "error" | "refused" | "timeout" | "cancelled";

export const CALL_OUTCOMES: readonly CallOutcome[] = ["success", "error", "refused", "timeout", "cancelled"];

export interface ActivityInput {
  time?: Date;
  /** MCP session id of the client, if known. */
  session?: string;
  server: string;
  tool: string;
  durationMs: number;
  outcome: CallOutcome;
  /** Error or refusal message (kept short). */
  error?: string;
  argumentBytes: number;
  resultBytes: number;
  argumentKeys: readonly string[];
  /** Already redacted (see summarizeCall); stored only when given. */
  argumentValues?: Record<string, unknown>;
}

export interface ActivityEntry extends Omit<ActivityInput, "time" | "argumentKeys"> {
  id: number;
  time: string;
  argumentKeys: string[];
}

export interface ActivityFilter {
  server?: string;
  tool?: string;
  outcome?: CallOutcome;
  /** Only entries at or after this time. */
  since?: Date;
  /** At most this many, newest first. Default 100, at most 10 000. */
  limit?: number;
}

const MAX_ERROR_LENGTH = 2000;
export const DEFAULT_ACTIVITY_LIMIT = 100;
export const MAX_ACTIVITY_LIMIT = 10_000;

interface ActivityRow {
  id: number;
  time: string;
  session: string | null;
  server: string;
  tool: string;
  duration_ms: number;
  outcome: CallOutcome;
  error: string | null;
  argument_bytes: number;
  result_bytes: number;
  argument_keys: string;
  argument_values: string | null;
}

/** One entry as the activity table stores it, with its size (what retention counts). */
export interface ActivityRowValues {
  values: [
    string,
    string | null,
    string,
    string,
    number,
    CallOutcome,
    string | null,
    number,
    number,
    string,
    string | null,
    number,
  ];
  bytes: number;
}

/** Checks an entry and turns it into its row; `now` is its time unless it has one. Throws INVALID_ARGUMENT. */
export function activityRow(entry: ActivityInput, now: Date): ActivityRowValues {
  validate(entry);
  const time = (entry.time ?? now).toISOString();
  const keys = JSON.stringify(entry.argumentKeys);
  const values = entry.argumentValues === undefined ? null : JSON.stringify(entry.argumentValues);
  const error = entry.error === undefined ? null : entry.error.slice(0, MAX_ERROR_LENGTH);
  // Same estimate as migration 2: fixed row overhead plus the text columns.
  const bytes =
    64 +
    time.length +
    (entry.session ?? "").length +
    entry.server.length +
    entry.tool.length +
    entry.outcome.length +
    keys.length +
    (values ?? "").length +
    (error ?? "").length;
  return {
    values: [
      time,
      entry.session ?? null,
      entry.server,
      entry.tool,
      Math.round(entry.durationMs),
      entry.outcome,
      error,
      entry.argumentBytes,
      entry.resultBytes,
      keys,
      values,
      bytes,
    ],
    bytes,
  };
}

/** Inserts rows in one transaction (one WAL append for the lot); returns their stored size. */
export function insertActivityRows(db: DatabaseSync, rows: readonly ActivityRowValues[]): number {
  const insert = statement(
    db,
    `INSERT INTO activity (time, session, server, tool, duration_ms, outcome, error, argument_bytes,
       result_bytes, argument_keys, argument_values, row_bytes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let bytes = 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const row of rows) {
      insert.run(...row.values);
      bytes += row.bytes;
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
  return bytes;
}

/** Deletes the oldest entries until the stored total is at most `keepBytes`; returns the new total. */
export function pruneActivity(db: DatabaseSync, keepBytes: number): number {
  statement(
    db,
    `DELETE FROM activity WHERE id <= (
       SELECT id FROM (SELECT id, SUM(row_bytes) OVER (ORDER BY id DESC) AS newer FROM activity)
       WHERE newer > ? ORDER BY id DESC LIMIT 1)`,
  ).run(keepBytes);
  return activityBytes(db);
}

export function activityBytes(db: DatabaseSync): number {
  const row = statement(db, "SELECT COALESCE(SUM(row_bytes), 0) AS total FROM activity").get() as {
    total: number;
  };
  return row.total;
}

export function selectActivity(db: DatabaseSync, filter: ActivityFilter = {}): ActivityEntry[] {
  const limit = filter.limit ?? DEFAULT_ACTIVITY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACTIVITY_LIMIT) {
    throw new SecurityError(
      "INVALID_ARGUMENT",
      `limit must be an integer from 1 to ${MAX_ACTIVITY_LIMIT}, got ${limit}`,
    );
  }
  if (filter.since !== undefined && Number.isNaN(filter.since.getTime())) {
    throw new SecurityError("INVALID_ARGUMENT", "since is not a valid date");
  }
  if (filter.outcome !== undefined && !CALL_OUTCOMES.includes(filter.outcome)) {
    throw new SecurityError(
      "INVALID_ARGUMENT",
      `outcome must be one of ${CALL_OUTCOMES.join(", ")}, got "${filter.outcome}"`,
    );
  }
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  add("server = ?", filter.server);
  add("tool = ?", filter.tool);
  add("outcome = ?", filter.outcome);
  add("time >= ?", filter.since?.toISOString());
  const sql = `SELECT * FROM activity ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  const rows = statement(db, sql).all(...params, limit) as unknown as ActivityRow[];
  return rows.map(toEntry);
}

function toEntry(row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    time: row.time,
    ...(row.session === null ? {} : { session: row.session }),
    server: row.server,
    tool: row.tool,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    ...(row.error === null ? {} : { error: row.error }),
    argumentBytes: row.argument_bytes,
    resultBytes: row.result_bytes,
    argumentKeys: JSON.parse(row.argument_keys) as string[],
    ...(row.argument_values === null
      ? {}
      : { argumentValues: JSON.parse(row.argument_values) as Record<string, unknown> }),
  };
}

function validate(entry: ActivityInput): void {
  const problems: string[] = [];
  if (entry.server === "") problems.push("server is empty");
  if (entry.tool === "") problems.push("tool is empty");
  if (!CALL_OUTCOMES.includes(entry.outcome))
    problems.push(`outcome "${entry.outcome}" is not one of ${CALL_OUTCOMES.join(", ")}`);
  for (const [name, value] of [
    ["durationMs", entry.durationMs],
    ["argumentBytes", entry.argumentBytes],
    ["resultBytes", entry.resultBytes],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      problems.push(`${name} must be a non-negative number, got ${value}`);
  }
  if (problems.length > 0)
    throw new SecurityError("INVALID_ARGUMENT", `activity entry rejected: ${problems.join("; ")}`);
}
