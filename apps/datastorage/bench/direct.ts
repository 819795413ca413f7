import type { AuditRecord } from "@kubernaut/schema";
import { toAuditWrite } from "../src/write/events.js";

/** A multi-row statement with positional parameters, as `pg` and PGlite both take it. */
export interface Statement {
  text: string;
  values: unknown[];
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
] as const;

/**
 * The baseline: the same rows the service writes for one batch, as plain multi-row INSERTs
 * (event ids, events, then one upsert per projection table), with no validation, merging or out-of-order rule.
 */
export function directStatements(records: readonly AuditRecord[], receivedAt: Date): Statement[] {
  const writes = records.map((r) => toAuditWrite(r, receivedAt));
  const received = receivedAt.toISOString();
  const statements: Statement[] = [
    multiRow(
      "INSERT INTO audit_event_ids (event_id) VALUES",
      writes.map(({ event }) => [event.event_id]),
      " ON CONFLICT DO NOTHING",
    ),
    multiRow(
      `INSERT INTO audit_events (${EVENT_COLUMNS.join(", ")}) VALUES`,
      writes.map(({ event }) => [
        event.event_id,
        event.correlation_id,
        event.alert_fingerprint,
        event.event_type,
        event.source,
        event.occurred_at,
        received,
        JSON.stringify(event.payload),
      ]),
      "",
    ),
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
    statements.push(
      multiRow(
        `INSERT INTO ${spec.table} (${columns.join(", ")}, last_event_at, created_at, updated_at) VALUES`,
        group.map(({ projection }) => [
          ...spec.columns.map((c) => {
            const value = projection.row.values[c.name] ?? null;
            if (c.name === "processing_phases" && value === null) return "[]";
            // JSON documents go as text; a list of strings is a text[] column, which `pg` sends as an array.
            const textArray = Array.isArray(value) && value.every((v) => typeof v === "string");
            return typeof value === "object" && value !== null && !textArray ? JSON.stringify(value) : value;
          }),
          projection.row.occurredAtText,
          received,
          received,
        ]),
        ` ON CONFLICT (${spec.key.join(", ")}) DO UPDATE SET ${updates.join(", ")}, ` +
          "last_event_at = excluded.last_event_at, updated_at = excluded.updated_at",
      ),
    );
  }
  return statements;
}

function multiRow(head: string, rows: unknown[][], tail: string): Statement {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(", ")})`);
  return { text: `${head} ${tuples.join(", ")}${tail}`, values };
}
