import type { Database } from "@kubernaut/db";
import type { AuditRecord, AuditSource, WriteResult } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { type AuditWrite, appendCte, toAuditWrite } from "./events.js";
import { type ProjectionRow, type ProjectionSpec, upsertCte } from "./projection.js";

/** Where the write statements run: a prepared statement per text, since their values are all parameters. */
export type WriteTarget = Pick<Database, "executePrepared">;

/** What a write did, per publishing controller, for the metrics. */
export interface WriteOutcome {
  result: WriteResult;
  inserted: Map<AuditSource, number>;
  duplicates: Map<AuditSource, number>;
}

/** The records of one request, derived at its time of receipt. */
export function prepareWrites(records: readonly AuditRecord[], receivedAt: Date): AuditWrite[] {
  return records.map((record) => toAuditWrite(record, receivedAt));
}

/**
 * The one statement that stores writes, atomically and in one round trip: a multi-row append to `audit_events`,
 * and one multi-row upsert per projection table (in table-name order) of the writes the append found new. An
 * `event_id` already stored, or repeated among `writes`, is appended once and never touches its projection
 * again. It answers the ids that were new. Its text depends only on which projection tables it touches and
 * whether keys repeat, so it runs as a prepared statement (`test/unit/write.statement.test.ts` shows it whole).
 */
export function writeStatement(writes: readonly AuditWrite[], receivedAt: Date): SQL {
  const received = receivedAt.toISOString();
  const firstOfId = new Map<string, AuditWrite>();
  for (const write of writes) if (!firstOfId.has(write.eventId)) firstOfId.set(write.eventId, write);
  const candidates = [...firstOfId.values()];

  // Tables in one fixed order (and, inside each, rows in key order): two statements that share rows lock them
  // in the same order, so they wait for each other instead of deadlocking.
  const bySpec = [...groupBySpec(candidates)].sort(([a], [b]) => (a.table < b.table ? -1 : 1));
  const upserts = bySpec.map(([spec, rows], i) =>
    upsertCte(`projected_${i}`, spec, rows, "appended", received),
  );
  return sql.join([
    sql`WITH `,
    sql.join([appendCte("appended", candidates, received), ...upserts], sql`, `),
    sql` SELECT event_id::text AS event_id FROM appended`,
  ]);
}

/** Runs `writeStatement` and answers the ids that were new. */
export async function executeWrites(
  target: WriteTarget,
  writes: readonly AuditWrite[],
  receivedAt: Date,
): Promise<Set<string>> {
  const appended = await target.executePrepared<{ event_id: string }>(writeStatement(writes, receivedAt));
  return new Set(appended.map((row) => row.event_id));
}

/**
 * The outcome of one request's writes, given the ids its statement found new. `claimed` holds the ids that
 * earlier writes of the same statement already counted as new; each new id is counted once, for the first write
 * that carries it, and the rest are duplicates.
 */
export function outcomeOf(
  writes: readonly AuditWrite[],
  newIds: ReadonlySet<string>,
  claimed: Set<string> = new Set(),
): WriteOutcome {
  const inserted = new Map<AuditSource, number>();
  const duplicates = new Map<AuditSource, number>();
  let insertedCount = 0;
  for (const write of writes) {
    const isNew = newIds.has(write.eventId) && !claimed.has(write.eventId);
    claimed.add(write.eventId);
    if (isNew) insertedCount++;
    const counts = isNew ? inserted : duplicates;
    counts.set(write.source, (counts.get(write.source) ?? 0) + 1);
  }
  return {
    result: {
      inserted: insertedCount,
      duplicates: writes.length - insertedCount,
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
