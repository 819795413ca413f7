import { getTableColumns, getTableName, type SQL, sql, type Table } from "drizzle-orm";

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
  /** The table of its keys' partition columns (`created_at`, `retained`), e.g. `remediation_audit_keys`. */
  keys: string;
  /** The key of one row (e.g. `remediation_name`), unique with the partition columns. */
  key: readonly string[];
  /** Key columns first, then every other column an event may set. */
  columns: readonly ProjectionColumn[];
}

/** Columns the database or the write path itself fills: never taken from an event. */
const BOOKKEEPING = ["id", "created_at", "updated_at", "last_event_at", "retained"] as const;

/** The SQL names of a Drizzle table's columns. */
type ColumnNameOf<T extends Table> = T["_"]["columns"][keyof T["_"]["columns"]]["_"]["name"];

/** The columns an event may set in table `T`: all of them but the bookkeeping ones. */
export type EventColumn<T extends Table> = Exclude<ColumnNameOf<T>, (typeof BOOKKEEPING)[number]>;

/** One event's values for table `T`: every event column, `null` where the event does not say. */
export type ProjectionValues<T extends Table> = Record<EventColumn<T>, unknown>;

/**
 * The spec of a projection table, read off its Drizzle definition so that a column added to the table is
 * written (and, through `ProjectionValues`, must be given a value). Each column is read from the request as its
 * table type, with `varchar(n)` read as text and `numeric(p, s)` as numeric (the insert applies the limits);
 * `overrides` changes how a column is read, inserted or merged. `keyTable` holds the partition columns of each
 * key's row (`created_at`, `retained`).
 */
export function projectionSpecOf<T extends Table>(
  table: T,
  keyTable: Table,
  key: readonly EventColumn<T>[],
  overrides: Partial<Record<EventColumn<T>, Partial<Omit<ProjectionColumn, "name">>>> = {},
): ProjectionSpec {
  const columns = Object.values(getTableColumns(table))
    .filter((column) => !(BOOKKEEPING as readonly string[]).includes(column.name))
    .map((column): ProjectionColumn => {
      const override = overrides[column.name as EventColumn<T>];
      return { name: column.name, type: recordsetType(column.getSQLType()), ...override };
    });
  const keys = new Set<string>(key);
  return {
    table: getTableName(table),
    keys: getTableName(keyTable),
    key,
    columns: [...columns.filter((c) => keys.has(c.name)), ...columns.filter((c) => !keys.has(c.name))],
  };
}

function recordsetType(sqlType: string): string {
  if (/^varchar(\(\d+\))?$/.test(sqlType)) return "text";
  if (/^numeric(\(.*\))?$/.test(sqlType)) return "numeric";
  if (sqlType === "timestamp with time zone") return "timestamptz";
  return sqlType;
}

/** A projection row as the request carries it: column name → JSON value, plus its event. */
export interface ProjectionRow {
  eventId: string;
  values: Record<string, unknown>;
  /** The event's `occurred_at` as sent (RFC 3339, up to nanoseconds), stored as `last_event_at`. */
  occurredAtText: string;
}

/**
 * The data-modifying CTEs that upsert the rows of one projection table whose event `newEvents` names (so a
 * retried event never touches its row again); the last is named `name`.
 *
 * The table is partitioned by `retained` and by month of `created_at`, so its unique key is the row's key with
 * both. `<name>_keys` reads them from the key table (`spec.keys`), claiming a new key there with the time of
 * receipt: `ON CONFLICT DO UPDATE ... RETURNING` answers the stored values even for a key another statement has
 * just committed, which the statement's snapshot would not show.
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
  const key = spec.key.join(", ");
  // In key order: concurrent statements lock the rows they share in the same order (no deadlock).
  const inKeyOrder = `ORDER BY ${spec.key.map((k) => `r.${k}`).join(", ")}`;
  return sql.join([
    sql.raw(`${name}_rows AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(`),
    sql`${payload}::jsonb`,
    sql.raw(
      `) AS r(${recordset.join(", ")}) WHERE r.event_id IN (SELECT event_id FROM ${newEvents})), ` +
        `${name}_keys AS (INSERT INTO ${spec.keys} AS k (${key}, created_at) ` +
        `SELECT DISTINCT ${spec.key.map((k) => `r.${k}`).join(", ")}, `,
    ),
    sql`${receivedAt}::timestamptz`,
    sql.raw(
      ` FROM ${name}_rows r ${inKeyOrder} ` +
        `ON CONFLICT (${key}) DO UPDATE SET created_at = k.created_at RETURNING ${key}, created_at, retained), ` +
        `${name} AS (INSERT INTO ${spec.table} AS t (${names.join(", ")}, last_event_at, created_at, retained, updated_at) ` +
        `SELECT ${merged.join(", ")}, ${merge ? "max(r.last_event_at)" : "r.last_event_at"}, k.created_at, k.retained, `,
    ),
    sql`${receivedAt}::timestamptz`,
    sql.raw(
      ` FROM ${name}_rows r JOIN ${name}_keys k USING (${key}) ` +
        (merge ? `GROUP BY ${spec.key.map((k) => `r.${k}`).join(", ")}, k.created_at, k.retained ` : "") +
        `${inKeyOrder} ` +
        `ON CONFLICT (${key}, retained, created_at) DO UPDATE SET ${updates.join(", ")}, ` +
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
