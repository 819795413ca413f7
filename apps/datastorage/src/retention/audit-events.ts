import { randomUUID } from "node:crypto";
import { classifyDatabaseError, execute } from "@kubernaut/db";
import { heldPartition, LEGAL_HOLD_EVENTS } from "@kubernaut/schema";
import {
  type LeafRange,
  leafRanges,
  type NoteSigner,
  RETENTION_CORRELATION_ID,
  RETENTION_DELETED_EVENT,
  signRetentionStatement,
} from "@kubernaut/tlog";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../env.js";
import { appendCte } from "../write/events.js";
import { ensureMonthPartitions } from "../write/partitions.js";
import { expiredMonths } from "./batch.js";
import { DEFAULT_LOCK_TIMEOUT_MS, LOCK_NOT_AVAILABLE } from "./lock.js";

type Executor = Pick<Db, "execute">;

const AUDIT_EVENTS_HELD = heldPartition("audit_events");

export interface EventRetentionOutcome {
  /** Records deleted: whole months dropped, and released records of `audit_events_held`. */
  deleted: number;
  /** The month partitions dropped, oldest first. */
  dropped: string[];
  /** Records of the dropped months copied to `audit_events_held` first (held, or retention's own). */
  kept: number;
  /** Why an expired month was left in place (its records are not all sealed under a signed checkpoint yet). */
  waiting?: string;
}

export interface EventRetentionOptions {
  cutoff: Date;
  batchSize: number;
  runId: string;
  now: Date;
  /** The log's key: each retention record carries a statement of the exact leaves it deleted, signed with it. */
  signer: NoteSigner;
  /**
   * How long a month's drop waits for its locks (default 5 s): dropping a partition locks `audit_events`
   * against writes while it waits for readers of the month, so past this the month is left to the next run.
   */
  lockTimeoutMs?: number;
  /** Called inside each step's transaction before it commits; a throw rolls the step back (crash tests). */
  beforeCommit?: (step: { partition: string; deleted: number }) => Promise<void>;
}

/** The columns a copy of a row carries into `audit_events_held`. */
const COLUMNS = sql.raw(
  "event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload, seq",
);

/**
 * Whether an active legal hold covers row `e` (`legal_hold_covers`, which the database inlines, so a month is
 * matched against the holds as one join).
 */
const held = (e: SQL) => sql`EXISTS (SELECT 1 FROM legal_holds lh
  WHERE legal_hold_covers(lh, ${e}.correlation_id, ${e}.alert_fingerprint, ${e}.occurred_at, ${e}.occurred_at))`;

/**
 * Whether row `e` stays past its month: held, or the trail's record of its own keeping (retention's records, and
 * the placing and releasing of legal holds, which a range hold files under no incident it covers).
 */
const mustStay = (e: SQL) =>
  sql`(${e}.event_type IN (${RETENTION_DELETED_EVENT}, ${LEGAL_HOLD_EVENTS.placed}, ${LEGAL_HOLD_EVENTS.released}) OR ${held(e)})`;

/**
 * Retention of `audit_events`, without touching the log: leaves stay, so every checkpoint stays provable.
 *
 * 1. Each month partition that ends at or before `cutoff`, oldest first, goes in one transaction: its rows that
 *    must stay are copied to `audit_events_held` (with `legal_holds` locked against new holds meanwhile), the
 *    partition is dropped, and a `retention.deleted` event names the partition, its leaf range, the cutoff and the
 *    count. A month goes only when every record in it is sealed under a signed checkpoint; the first that is not
 *    stops the run there. A crash at any point leaves the month whole or gone, never half.
 * 2. Records of `audit_events_held` whose hold has ended and that were received before `cutoff` are deleted in
 *    batches, each its own transaction with its own `retention.deleted` event.
 *
 * Records are kept at least until `cutoff`, and at most until the end of their month is past it.
 */
export async function retireExpiredEvents(
  db: Db,
  options: EventRetentionOptions,
): Promise<EventRetentionOutcome> {
  const outcome: EventRetentionOutcome = { deleted: 0, dropped: [], kept: 0 };
  await ensureMonthPartitions(db, options.now);
  for (const partition of await expiredMonths(db, "audit_events", options.cutoff)) {
    const step = await dropMonth(db, partition, options).catch((err: unknown) => {
      if (classifyDatabaseError(err)?.code !== LOCK_NOT_AVAILABLE) throw err;
      return {
        waiting: `${partition} was busy: its locks were not granted within ${options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS} ms`,
      };
    });
    if ("waiting" in step) {
      outcome.waiting = step.waiting;
      break;
    }
    outcome.dropped.push(partition);
    outcome.deleted += step.deleted;
    outcome.kept += step.kept;
  }
  for (;;) {
    const deleted = await deleteReleasedBatch(db, options);
    outcome.deleted += deleted;
    if (deleted < options.batchSize) break;
  }
  return outcome;
}

/**
 * What a run with `cutoff` would do now: `expired`, the records it would delete (in the months it would drop, and
 * released ones of `audit_events_held`; a month not all sealed yet counts too, though a run waits for it); `held`,
 * the records received before the cutoff that a legal hold keeps.
 */
export async function countExpiredEvents(
  db: Executor,
  cutoff: Date,
): Promise<{ expired: number; held: number }> {
  const tables = [...(await expiredMonths(db, "audit_events", cutoff)), AUDIT_EVENTS_HELD];
  const counts = { expired: 0, held: 0 };
  for (const table of tables) {
    const [row] = await execute<{ expired: number; held: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE NOT ${mustStay(sql`e`)}) AS expired,
            count(*) FILTER (WHERE e.event_type <> ${RETENTION_DELETED_EVENT} AND ${held(sql`e`)}) AS held
          FROM ${sql.identifier(table)} e WHERE e.received_at < ${cutoff.toISOString()}::timestamptz`,
    );
    counts.expired += row?.expired ?? 0;
    counts.held += row?.held ?? 0;
  }
  return counts;
}

async function dropMonth(
  db: Db,
  partition: string,
  options: EventRetentionOptions,
): Promise<{ deleted: number; kept: number } | { waiting: string }> {
  const table = sql.identifier(partition);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL kubernaut.retention = 'on'`);
    await tx.execute(
      sql`SELECT set_config('lock_timeout', ${`${options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS}ms`}, true)`,
    );
    // No hold can be placed between deciding what stays and dropping the rest.
    await tx.execute(sql`LOCK TABLE legal_holds IN SHARE MODE`);
    const [stats] = await execute<{
      rows: number;
      last_seq: number | null;
      first_id: string | null;
      last_id: string | null;
    }>(
      tx,
      sql`SELECT count(*) AS rows, max(seq) AS last_seq,
            (SELECT event_id::text FROM ${table} ORDER BY seq LIMIT 1) AS first_id,
            (SELECT event_id::text FROM ${table} ORDER BY seq DESC LIMIT 1) AS last_id
          FROM ${table}`,
    );
    const rows = stats?.rows ?? 0;
    if (rows > 0) {
      // Sealed under a signed checkpoint: at or below the cursor of the last signed leaf (the sealer seals every
      // row up to its cursor, none skipped).
      const [signed] = await execute<{ seq: number | null }>(
        tx,
        sql`SELECT l.event_seq AS seq FROM audit_log_leaves l
            WHERE l.leaf_index = (SELECT max(tree_size) - 1 FROM audit_log_checkpoints)`,
      );
      if (signed?.seq === undefined || signed.seq === null || (stats?.last_seq ?? 0) > signed.seq) {
        return { waiting: `${partition} has records not yet sealed under a signed checkpoint` };
      }
    }
    const [copied] = await execute<{ kept: number }>(
      tx,
      sql`WITH kept AS (
            INSERT INTO audit_events (${COLUMNS}, retained)
            SELECT ${COLUMNS}, true FROM ${table} e WHERE ${mustStay(sql`e`)}
            RETURNING 1)
          SELECT count(*) AS kept FROM kept`,
    );
    const kept = copied?.kept ?? 0;
    const deleted = rows - kept;
    const leaves = await deletedLeaves(
      tx,
      sql`SELECT e.event_id FROM ${table} e WHERE NOT ${mustStay(sql`e`)}`,
    );
    const [range] = await execute<{ from_leaf: number | null; to_leaf: number | null }>(
      tx,
      sql`SELECT (SELECT leaf_index FROM audit_log_leaves WHERE event_id = ${stats?.first_id ?? null}::uuid) AS from_leaf,
                 (SELECT leaf_index + 1 FROM audit_log_leaves WHERE event_id = ${stats?.last_id ?? null}::uuid) AS to_leaf`,
    );
    await tx.execute(sql`DROP TABLE ${table}`);
    if (deleted > 0) {
      await appendRetentionEvent(tx, options, {
        partition,
        from_leaf: range?.from_leaf ?? 0,
        to_leaf: range?.to_leaf ?? 0,
        deleted,
        kept,
        leaves,
      });
    }
    await options.beforeCommit?.({ partition, deleted });
    return { deleted, kept };
  });
}

/** One batch of `audit_events_held` records no longer held and received before the cutoff. */
async function deleteReleasedBatch(db: Db, options: EventRetentionOptions): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL kubernaut.retention = 'on'`);
    const [gone] = await execute<{
      deleted: number;
      from_leaf: number | null;
      to_leaf: number | null;
      leaves: (number | string)[];
    }>(
      tx,
      sql`WITH gone AS (
            DELETE FROM ${sql.identifier(AUDIT_EVENTS_HELD)} e
            WHERE (e.alert_fingerprint, e.event_id) IN (
              SELECT h.alert_fingerprint, h.event_id FROM ${sql.identifier(AUDIT_EVENTS_HELD)} h
              WHERE h.received_at < ${options.cutoff.toISOString()}::timestamptz AND NOT ${mustStay(sql`h`)}
              ORDER BY h.seq LIMIT ${options.batchSize}
              FOR UPDATE SKIP LOCKED)
            RETURNING e.event_id)
          SELECT count(*) AS deleted, min(l.leaf_index) AS from_leaf, max(l.leaf_index) + 1 AS to_leaf,
            COALESCE(array_agg(l.leaf_index ORDER BY l.leaf_index) FILTER (WHERE l.leaf_index IS NOT NULL), '{}') AS leaves
          FROM gone LEFT JOIN audit_log_leaves l ON l.event_id = gone.event_id`,
    );
    const deleted = gone?.deleted ?? 0;
    if (deleted > 0) {
      await appendRetentionEvent(tx, options, {
        partition: AUDIT_EVENTS_HELD,
        from_leaf: gone?.from_leaf ?? 0,
        to_leaf: gone?.to_leaf ?? 0,
        deleted,
        kept: 0,
        leaves: leafRanges((gone?.leaves ?? []).map(Number)),
      });
      await options.beforeCommit?.({ partition: AUDIT_EVENTS_HELD, deleted });
    }
    return deleted;
  });
}

/**
 * The leaves of the records `eventIds` selects, as ranges: computed in the database (a month may hold millions of
 * records, most of them in a few runs of consecutive leaves).
 */
async function deletedLeaves(tx: Executor, eventIds: SQL): Promise<LeafRange[]> {
  const rows = await execute<{ from_leaf: number | string; to_leaf: number | string }>(
    tx,
    sql`SELECT min(i) AS from_leaf, max(i) + 1 AS to_leaf FROM (
          SELECT l.leaf_index AS i, l.leaf_index - row_number() OVER (ORDER BY l.leaf_index) AS island
          FROM audit_log_leaves l WHERE l.event_id IN (${eventIds})) x
        GROUP BY island ORDER BY 1`,
  );
  return rows.map((row): LeafRange => [Number(row.from_leaf), Number(row.to_leaf)]);
}

/**
 * Appends the sealed record of one retention step: the leaves [from_leaf, to_leaf) it deleted from (a record in
 * the range that is still there was kept), the cutoff, the counts, and `note`: a statement of the exact leaves it
 * deleted (`leaves`), signed with the log's key and bound to this record's event id. A verifier tells a record
 * deleted by retention from a missing one by that statement alone.
 */
async function appendRetentionEvent(
  tx: Executor,
  options: EventRetentionOptions,
  step: {
    partition: string;
    from_leaf: number;
    to_leaf: number;
    deleted: number;
    kept: number;
    leaves: readonly LeafRange[];
  },
): Promise<void> {
  const at = options.now.toISOString();
  const eventId = randomUUID();
  const cutoff = options.cutoff.toISOString();
  const note = signRetentionStatement(
    { origin: options.signer.name, eventId, runId: options.runId, cutoff, leaves: step.leaves },
    options.signer,
  );
  const event = {
    event_id: eventId,
    correlation_id: RETENTION_CORRELATION_ID,
    alert_fingerprint: RETENTION_CORRELATION_ID,
    event_type: RETENTION_DELETED_EVENT,
    source: "datastorage" as const,
    occurred_at: at,
    payload: { run_id: options.runId, cutoff, ...step, note },
  };
  await tx.execute(sql`WITH ${appendCte("appended", [{ event }], at)} SELECT count(*) FROM appended`);
}
