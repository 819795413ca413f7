import type { AuditRecord, AuditSource, WriteResult } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import type { Db } from "../env.js";
import { type AuditWrite, appendCte, toAuditWrite } from "./events.js";
import { type ProjectionRow, type ProjectionSpec, upsertCte } from "./projection.js";
import { rowsOf } from "./rows.js";

/** What a write did, per publishing controller, for the metrics. */
export interface WriteOutcome {
  result: WriteResult;
  inserted: Map<AuditSource, number>;
  duplicates: Map<AuditSource, number>;
}

/**
 * Stores validated records in one statement, so atomically and in one round trip: a multi-row append to
 * `audit_events`, and one multi-row upsert per projection table of the records the append found new. A retried
 * `event_id` (already stored, or twice in the same batch) counts as a duplicate and never touches its
 * projection again.
 */
export async function storeAuditRecords(
  db: Db,
  records: readonly AuditRecord[],
  receivedAt: Date,
): Promise<WriteOutcome> {
  const received = receivedAt.toISOString();
  const writes = records.map((record) => toAuditWrite(record, receivedAt));
  const firstOfId = new Map<string, AuditWrite>();
  for (const write of writes) if (!firstOfId.has(write.eventId)) firstOfId.set(write.eventId, write);
  const candidates = [...firstOfId.values()];

  const upserts = [...groupBySpec(candidates)].map(([spec, rows], i) =>
    upsertCte(`projected_${i}`, spec, rows, "appended", received),
  );
  const statement = sql.join([
    sql`WITH `,
    sql.join([appendCte("appended", candidates, received), ...upserts], sql`, `),
    sql` SELECT event_id::text AS event_id FROM appended`,
  ]);
  const appended = rowsOf<{ event_id: string }>(await db.execute(statement));
  const newIds = new Set(appended.map((row) => row.event_id));
  const fresh = candidates.filter((write) => newIds.has(write.eventId));

  const freshIds = new Set(fresh.map((write) => write.eventId));
  const inserted = new Map<AuditSource, number>();
  const duplicates = new Map<AuditSource, number>();
  const seen = new Set<string>();
  for (const write of writes) {
    const isNew = freshIds.has(write.eventId) && !seen.has(write.eventId);
    seen.add(write.eventId);
    const counts = isNew ? inserted : duplicates;
    counts.set(write.source, (counts.get(write.source) ?? 0) + 1);
  }
  return {
    result: {
      inserted: fresh.length,
      duplicates: writes.length - fresh.length,
      event_ids: writes.map((write) => write.eventId),
    },
    inserted,
    duplicates,
  };
}

function groupBySpec(writes: readonly AuditWrite[]): Map<ProjectionSpec, ProjectionRow[]> {
  const groups = new Map<ProjectionSpec, ProjectionRow[]>();
  for (const { projection } of writes) {
    const rows = groups.get(projection.spec) ?? [];
    rows.push(projection.row);
    groups.set(projection.spec, rows);
  }
  return groups;
}
