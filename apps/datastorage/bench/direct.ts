import type { AuditRecord } from "@kubernaut/schema";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { toAuditWrite } from "../src/write/events.js";

/** A multi-row statement with positional parameters, as `pg` and PGlite both take it. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** The rows of one table, and what a row already there gets (`tail`: nothing, or an upsert). */
interface TableRows {
  table: string;
  columns: string[];
  rows: unknown[][];
  /** The `ON CONFLICT …` clause of an upsert, or "" for a plain append. */
  conflict: string;
}

const EVENT_COLUMNS = [
  "event_id",
  "correlation_id",
  "alert_fingerprint",
  "event_type",
  "source",
  "occurred_at",
  "received_at",
  "payload",
];

/**
 * The same rows the service writes for one batch, table by table (event ids, events, then one upsert per
 * projection table), with no validation, merging or out-of-order rule. JSON documents are text; a list of strings
 * is an array (a text[] column).
 */
function directRows(records: readonly AuditRecord[], receivedAt: Date): TableRows[] {
  const writes = records.map((r) => toAuditWrite(r, receivedAt));
  const received = receivedAt.toISOString();
  const tables: TableRows[] = [
    {
      table: "audit_event_ids",
      columns: ["event_id"],
      rows: writes.map(({ event }) => [event.event_id]),
      conflict: " ON CONFLICT DO NOTHING",
    },
    {
      table: "audit_events",
      columns: EVENT_COLUMNS,
      rows: writes.map(({ event }) => [
        event.event_id,
        event.correlation_id,
        event.alert_fingerprint,
        event.event_type,
        event.source,
        event.occurred_at,
        received,
        JSON.stringify(event.payload),
      ]),
      conflict: "",
    },
  ];
  const bySpec = new Map<string, typeof writes>();
  for (const w of writes)
    bySpec.set(w.projection.spec.table, [...(bySpec.get(w.projection.spec.table) ?? []), w]);
  for (const group of bySpec.values()) {
    const spec = group[0]?.projection.spec;
    if (!spec) continue;
    const columns = spec.columns.map((c) => c.name);
    const keys = new Set(spec.key);
    const updates = columns.filter((c) => !keys.has(c)).map((c) => `${c} = excluded.${c}`);
    // A row's created_at is the time its key was first written: remembered here, stored in the key table as the
    // service does, so that the upsert finds the row on its whole key.
    const createdAt = group.map(({ projection }) => {
      const key = `${spec.table}:${JSON.stringify(spec.key.map((k) => projection.row.values[k]))}`;
      if (!firstWritten.has(key)) firstWritten.set(key, received);
      return firstWritten.get(key) as string;
    });
    tables.push({
      table: spec.keys,
      columns: [...spec.key, "created_at"],
      rows: group.map(({ projection }, i) => [
        ...spec.key.map((k) => projection.row.values[k]),
        createdAt[i],
      ]),
      conflict: " ON CONFLICT DO NOTHING",
    });
    tables.push({
      table: spec.table,
      columns: [...columns, "last_event_at", "created_at", "updated_at"],
      rows: group.map(({ projection }, i) => [
        ...spec.columns.map((c) => {
          const value = projection.row.values[c.name] ?? null;
          if (c.name === "processing_phases" && value === null) return "[]";
          return isTextArray(value) || typeof value !== "object" || value === null
            ? value
            : JSON.stringify(value);
        }),
        projection.row.occurredAtText,
        createdAt[i],
        received,
      ]),
      conflict:
        ` ON CONFLICT (${spec.key.join(", ")}, retained, created_at) DO UPDATE SET ${updates.join(", ")}, ` +
        "last_event_at = excluded.last_event_at, updated_at = excluded.updated_at",
    });
  }
  return tables;
}

/** When each projection key was first written, across the batches of a run. */
const firstWritten = new Map<string, string>();

/** The direct baseline as plain multi-row INSERTs, one statement per table. */
export function directStatements(records: readonly AuditRecord[], receivedAt: Date): Statement[] {
  return directRows(records, receivedAt).map(({ table, columns, rows, conflict }) => {
    const values: unknown[] = [];
    const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(", ")})`);
    return {
      text: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}${conflict}`,
      values,
    };
  });
}

/**
 * The direct baseline with COPY (PostgreSQL only), inside the caller's transaction: a table appended to gets its
 * rows by COPY straight in; a table upserted into gets them by COPY into a temporary table of the same columns,
 * then one `INSERT … SELECT … ON CONFLICT` from it.
 */
export async function directCopy(
  client: pg.PoolClient,
  records: readonly AuditRecord[],
  receivedAt: Date,
): Promise<void> {
  for (const { table, columns, rows, conflict } of directRows(records, receivedAt)) {
    const target = conflict === "" ? table : `copy_${table}`;
    if (target !== table) {
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS ${target} AS SELECT ${columns.join(", ")} FROM ${table} WITH NO DATA`,
      );
      await client.query(`TRUNCATE ${target}`);
    }
    await copyRows(client, target, columns, rows);
    if (target !== table) {
      await client.query(
        `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.join(", ")} FROM ${target}${conflict}`,
      );
    }
  }
}

function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(
      copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`),
    );
    stream.on("error", reject);
    stream.on("finish", resolve);
    stream.end(rows.map((row) => `${row.map(csvCell).join(",")}\n`).join(""));
  });
}

/** One CSV field: NULL unquoted and empty, anything else quoted (a list of strings as an array literal). */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = isTextArray(value)
    ? `{${value.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`
    : String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

function isTextArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
