import { type SQL, sql } from "drizzle-orm";

/** One column of a projection table, as `jsonb_to_recordset` reads it from the request's rows. */
export interface ProjectionColumn {
  name: string;
  /** The SQL type the JSON value is read as. */
  type: string;
  /** The inserted value, `$` standing for the merged incoming value; default `$`. */
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

/** A projection row as the request carries it: column name → JSON value, plus its event. */
export interface ProjectionRow {
  eventId: string;
  values: Record<string, unknown>;
  /** The event's `occurred_at` as sent (RFC 3339, up to nanoseconds), stored as `last_event_at`. */
  occurredAtText: string;
}

/**
 * A data-modifying CTE that upserts the rows of one projection table whose event `newEvents` names (so a
 * retried event never touches its row again).
 *
 * Rows of the same key are first merged, since one `INSERT ... ON CONFLICT` cannot touch a row twice: for each
 * column the newest non-null value wins (by `occurred_at`, then by position in the request). On conflict with
 * the stored row the same rule holds across requests: if the incoming event is at least as new as the row's
 * `last_event_at`, its non-null values win; otherwise it only fills columns that are still NULL, so a late
 * event never regresses a row. `updated_at` is the time of receipt.
 */
export function upsertCte(
  name: string,
  spec: ProjectionSpec,
  rows: readonly ProjectionRow[],
  newEvents: string,
  receivedAt: string,
): SQL {
  const keys = new Set(spec.key);
  const names = spec.columns.map((c) => c.name);
  const recordset = [
    "event_id uuid",
    "ord integer",
    ...spec.columns.map((c) => `${c.name} ${c.type}`),
    "last_event_at timestamptz",
  ];
  // Merging costs an aggregate per column: only rows whose key repeats in this request pay for it.
  const merge = hasRepeatedKey(spec, rows);
  const newestFirst = "ORDER BY r.last_event_at DESC, r.ord DESC";
  const merged = spec.columns.map((c) => {
    const value =
      keys.has(c.name) || !merge
        ? `r.${c.name}`
        : `(array_agg(r.${c.name} ${newestFirst}) FILTER (WHERE r.${c.name} IS NOT NULL))[1]`;
    return c.insert ? c.insert.replaceAll("$", () => value) : value;
  });
  const newer = "excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz)";
  const updates = spec.columns
    .filter((c) => !keys.has(c.name))
    .map((c) => {
      const incoming = c.incoming ?? `excluded.${c.name}`;
      return `${c.name} = CASE WHEN ${newer} THEN COALESCE(${incoming}, t.${c.name}) ELSE COALESCE(t.${c.name}, ${incoming}) END`;
    });
  const payload = JSON.stringify(
    rows.map((row, ord) => ({
      ...row.values,
      event_id: row.eventId,
      ord,
      last_event_at: row.occurredAtText,
    })),
  );
  return sql.join([
    sql.raw(
      `${name} AS (INSERT INTO ${spec.table} AS t (${names.join(", ")}, last_event_at, created_at, updated_at) ` +
        `SELECT ${merged.join(", ")}, ${merge ? "max(r.last_event_at)" : "r.last_event_at"}, `,
    ),
    sql`${receivedAt}::timestamptz, ${receivedAt}::timestamptz FROM jsonb_to_recordset(${payload}::jsonb)`,
    sql.raw(
      ` AS r(${recordset.join(", ")}) WHERE r.event_id IN (SELECT event_id FROM ${newEvents}) ` +
        (merge ? `GROUP BY ${spec.key.map((k) => `r.${k}`).join(", ")} ` : "") +
        // In key order: concurrent statements lock the rows they share in the same order (no deadlock).
        `ORDER BY ${spec.key.map((k) => `r.${k}`).join(", ")} ` +
        `ON CONFLICT (${spec.key.join(", ")}) DO UPDATE SET ${updates.join(", ")}, ` +
        "last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at " +
        "RETURNING 1)",
    ),
  ]);
}

function hasRepeatedKey(spec: ProjectionSpec, rows: readonly ProjectionRow[]): boolean {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = JSON.stringify(spec.key.map((k) => row.values[k]));
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
