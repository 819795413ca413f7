import { randomUUID } from "node:crypto";
import { execute } from "@kubernaut/db";
import { RETENTION_CORRELATION_ID, RETENTION_DELETED_EVENT } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import type { Db } from "../env.js";
import { appendCte } from "../write/events.js";

export interface EventRetentionOutcome {
  deleted: number;
  /** The leaves [from, to) whose records were looked at; null when there was nothing to do. */
  range: { from: number; to: number } | null;
}

/**
 * Deletes the `audit_events` records older than `cutoff` (by `received_at`) without touching the log: only records
 * already sealed under a signed checkpoint, as a prefix of the leaves (from where the previous run stopped up to
 * the first leaf whose record is younger), never a record under legal hold, never a retention event. Each batch of
 * leaves is one transaction that marks itself as the retention job (`kubernaut.retention = on`, which the
 * append-only trigger asks for), deletes, and appends a `retention.deleted` event naming the leaf range, the cutoff
 * and the count: that event is sealed like any other record, so a verifier tells "deleted by retention" from
 * "missing" on the log's own word.
 */
export async function deleteSealedEvents(
  db: Db,
  options: { cutoff: Date; batchSize: number; runId: string; now: Date },
): Promise<EventRetentionOutcome> {
  const [bounds] = await execute<{ start: number; signed: number }>(
    db,
    sql`
      SELECT COALESCE((SELECT max((e.payload->>'to_leaf')::bigint) FROM audit_events e
                       WHERE e.event_type = ${RETENTION_DELETED_EVENT}), 0) AS start,
             COALESCE((SELECT max(tree_size) FROM audit_log_checkpoints), 0) AS signed`,
  );
  const start = bounds?.start ?? 0;
  const signed = bounds?.signed ?? 0;
  const [first] = await execute<{ young: number | null }>(
    db,
    sql`
      SELECT min(l.leaf_index) AS young
      FROM audit_log_leaves l JOIN audit_events e ON e.event_id = l.event_id
      WHERE l.leaf_index >= ${start} AND l.leaf_index < ${signed}
        AND e.received_at >= ${options.cutoff.toISOString()}::timestamptz`,
  );
  const end = first?.young ?? signed;
  if (end <= start) return { deleted: 0, range: null };
  let deleted = 0;
  for (let from = start; from < end; from += options.batchSize) {
    const to = Math.min(end, from + options.batchSize);
    deleted += await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('kubernaut.retention', 'on', true)`);
      const [row] = await execute<{ deleted: number }>(
        tx,
        sql`
          WITH gone AS (
            DELETE FROM audit_events e
            USING audit_log_leaves l
            WHERE l.event_id = e.event_id AND l.leaf_index >= ${from} AND l.leaf_index < ${to}
              AND e.event_type <> ${RETENTION_DELETED_EVENT}
              AND legal_hold_on(e) IS NULL
            RETURNING 1)
          SELECT count(*) AS deleted FROM gone`,
      );
      const count = row?.deleted ?? 0;
      const at = options.now.toISOString();
      const event = {
        event_id: randomUUID(),
        correlation_id: RETENTION_CORRELATION_ID,
        alert_fingerprint: RETENTION_CORRELATION_ID,
        event_type: RETENTION_DELETED_EVENT,
        source: "datastorage" as const,
        occurred_at: at,
        payload: {
          run_id: options.runId,
          from_leaf: from,
          to_leaf: to,
          cutoff: options.cutoff.toISOString(),
          deleted: count,
        },
      };
      await tx.execute(sql`WITH ${appendCte("appended", [{ event }], at)} SELECT count(*) FROM appended`);
      return count;
    });
  }
  return { deleted, range: { from: start, to: end } };
}
