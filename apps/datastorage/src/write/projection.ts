import { type SQL, sql } from "drizzle-orm";

/** One column of a projection table, as `jsonb_to_recordset` reads it from the request's rows. */
export interface ProjectionColumn {
  name: string;
  /** The SQL type the JSON value is read as. */
  type: string;
  /** The inserted value; defaults to `r.<name>`. */
  insert?: string;
  /** The incoming value in `DO UPDATE`, where NULL means "not sent"; defaults to `excluded.<name>`. */
  incoming?: string;
}

/** A projection table the write path upserts: its conflict key and every column an event may carry. */
export interface ProjectionSpec {
  table: string;
  /** The unique key of one row (e.g. `remediation_name`). */
  key: readonly string[];
  /** Key columns first, then every other column an event may set. */
  columns: readonly ProjectionColumn[];
}

/** A projection row as the request carries it: column name → JSON value, plus when its event occurred. */
export interface ProjectionRow {
  values: Record<string, unknown>;
  /** The event's `occurred_at` (epoch ms), which orders merges. */
  occurredAt: number;
  /** The same instant as sent (RFC 3339, up to nanoseconds), stored as `last_event_at`. */
  occurredAtText: string;
}

/**
 * Folds rows with the same key into one, oldest first: a newer row's non-null columns win, an older row only
 * fills what is still null. This is the upsert's own rule, applied in memory because one
 * `INSERT ... ON CONFLICT` cannot touch the same row twice. Ties keep arrival order (the later one is newer).
 */
export function mergeByKey(spec: ProjectionSpec, rows: readonly ProjectionRow[]): ProjectionRow[] {
  const ordered = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => a.row.occurredAt - b.row.occurredAt || a.index - b.index);
  const merged = new Map<string, ProjectionRow>();
  for (const { row } of ordered) {
    const key = JSON.stringify(spec.key.map((k) => row.values[k]));
    const older = merged.get(key);
    if (!older) {
      merged.set(key, { ...row, values: { ...row.values } });
      continue;
    }
    for (const [column, value] of Object.entries(row.values)) {
      if (value !== null && value !== undefined) older.values[column] = value;
    }
    older.occurredAt = row.occurredAt;
    older.occurredAtText = row.occurredAtText;
  }
  return [...merged.values()];
}

/**
 * One multi-row upsert for every row (already merged by key). On conflict each column follows the
 * out-of-order rule: if the incoming event is at least as new as the row's `last_event_at`, its non-null
 * values win; otherwise it only fills columns that are still NULL. `updated_at` is the time of receipt.
 */
export function upsertStatement(
  spec: ProjectionSpec,
  rows: readonly ProjectionRow[],
  receivedAt: string,
): SQL {
  const keys = new Set(spec.key);
  const names = spec.columns.map((c) => c.name);
  const recordset = [...spec.columns.map((c) => `${c.name} ${c.type}`), "last_event_at timestamptz"];
  const selected = spec.columns.map((c) => c.insert ?? `r.${c.name}`);
  const newer = "excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz)";
  const updates = spec.columns
    .filter((c) => !keys.has(c.name))
    .map((c) => {
      const incoming = c.incoming ?? `excluded.${c.name}`;
      return `${c.name} = CASE WHEN ${newer} THEN COALESCE(${incoming}, t.${c.name}) ELSE COALESCE(t.${c.name}, ${incoming}) END`;
    });
  const payload = JSON.stringify(rows.map((row) => ({ ...row.values, last_event_at: row.occurredAtText })));
  return sql.join([
    sql.raw(
      `INSERT INTO ${spec.table} AS t (${names.join(", ")}, last_event_at, created_at, updated_at) ` +
        `SELECT ${selected.join(", ")}, r.last_event_at, `,
    ),
    sql`${receivedAt}::timestamptz, ${receivedAt}::timestamptz FROM jsonb_to_recordset(${payload}::jsonb)`,
    sql.raw(
      ` AS r(${recordset.join(", ")}) ON CONFLICT (${spec.key.join(", ")}) DO UPDATE SET ` +
        `${updates.join(", ")}, ` +
        "last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at",
    ),
  ]);
}
