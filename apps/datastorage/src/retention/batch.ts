import { execute } from "@kubernaut/db";
import { heldPartition, monthOfPartition } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../env.js";
import type { RetentionTable } from "./tables.js";

type Executor = Pick<Db, "execute">;

/**
 * Whether an active legal hold covers row `r` (`legal_hold_covers`, migration `partitioned-audit-events`, which
 * the database inlines, so a month of rows is matched against the holds as one join; the delete triggers ask the
 * same of each row).
 */
function held(table: RetentionTable): SQL {
  return sql`EXISTS (SELECT 1 FROM legal_holds lh WHERE legal_hold_covers(lh, (${table.correlation})::text,
    r.alert_fingerprint, r.created_at, COALESCE(r.updated_at, r.created_at)))`;
}

/** The start of the month (UTC) of `cutoff`: every live month before it has ended by then. */
function monthStart(cutoff: Date): string {
  return new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), 1)).toISOString();
}

/** The month partitions of `table` that end at or before `cutoff`, oldest first: retention takes each whole. */
export async function expiredMonths(
  db: Executor,
  table: RetentionTable["name"] | "audit_events",
  cutoff: Date,
): Promise<string[]> {
  const rows = await execute<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = ${table}::regclass`,
  );
  return rows
    .map((row) => ({ name: row.name, month: monthOfPartition(table, row.name) }))
    .filter((p) => p.month !== null && p.month.to.getTime() <= cutoff.getTime())
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((p) => p.name);
}

/**
 * Archives one expired month partition of `table` whole, in the caller's transaction: its terminal rows no hold
 * covers are copied to the archive; the others (not finished yet, or held) are copied to `<table>_held` with
 * `retained` true; the key table follows (the keys of archived rows are forgotten, so a late event starts a new
 * row; kept ones point to their row's new place); and the partition is dropped. The table is locked against
 * writes first, so no row of the month changes between the copy and the drop, and `legal_holds` against new holds.
 */
export async function archiveMonth(
  tx: Executor,
  table: RetentionTable,
  partition: string,
): Promise<{ archived: number; kept: number }> {
  await tx.execute(sql`LOCK TABLE ${table.live} IN EXCLUSIVE MODE`);
  await tx.execute(sql`LOCK TABLE legal_holds IN SHARE MODE`);
  const month = sql.identifier(partition);
  const [moved] = await execute<{ archived: number; kept: number }>(
    tx,
    sql`WITH month AS MATERIALIZED (
          SELECT r.*, (${table.terminal} AND NOT ${held(table)}) IS TRUE AS expired FROM ${month} r),
        archived AS (
          INSERT INTO ${table.archive} (${table.columns}) SELECT ${table.columns} FROM month WHERE expired
          RETURNING ${table.key}, created_at),
        kept AS (
          INSERT INTO ${table.live} (${table.carried}, retained) SELECT ${table.carried}, true FROM month WHERE NOT expired
          RETURNING ${table.key}, created_at),
        forgotten AS (
          DELETE FROM ${table.keys}
          WHERE NOT retained AND (${table.key}, created_at) IN (SELECT ${table.key}, created_at FROM archived)),
        moved_keys AS (
          UPDATE ${table.keys} SET retained = true
          WHERE NOT retained AND (${table.key}, created_at) IN (SELECT ${table.key}, created_at FROM kept))
        SELECT (SELECT count(*) FROM archived) AS archived, (SELECT count(*) FROM kept) AS kept`,
  );
  await tx.execute(sql`DROP TABLE ${month}`);
  return { archived: moved?.archived ?? 0, kept: moved?.kept ?? 0 };
}

/**
 * Moves up to `limit` expired rows of `<table>_held` (created before the cutoff, terminal, and no longer held) to
 * the archive in one statement, and forgets their keys: the rows are locked (`SKIP LOCKED`, so concurrent runs
 * never wait on each other), deleted, and their exact copies inserted. Delete and insert commit or roll back
 * together, so a crash at any point loses no row and copies none twice. Were a hold placed meanwhile, the delete
 * trigger fails the batch.
 */
export async function moveExpiredBatch(
  tx: Executor,
  table: RetentionTable,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const heldRows = sql.identifier(heldPartition(table.name));
  const [result] = await execute<{ moved: number }>(
    tx,
    sql`
      WITH moved AS (
        DELETE FROM ${heldRows}
        WHERE id IN (
          SELECT id FROM ${heldRows} r
          WHERE r.created_at < ${cutoff.toISOString()}::timestamptz AND ${table.terminal} AND NOT ${held(table)}
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING ${table.columns}
      ),
      archived AS (
        INSERT INTO ${table.archive} (${table.columns})
        SELECT ${table.columns} FROM moved
        RETURNING ${table.key}, created_at
      ),
      forgotten AS (
        DELETE FROM ${table.keys}
        WHERE retained AND (${table.key}, created_at) IN (SELECT ${table.key}, created_at FROM archived)
      )
      SELECT count(*) AS moved FROM archived`,
  );
  return result?.moved ?? 0;
}

/**
 * How many rows of one table a run would archive now (`underHold` false), or keeps for a legal hold (true):
 * terminal rows of the months that have ended by the cutoff, and of `<table>_held` created before it.
 */
export async function countExpired(
  db: Executor,
  table: RetentionTable,
  cutoff: Date,
  underHold = false,
): Promise<number> {
  const [result] = await execute<{ expired: number }>(
    db,
    sql`SELECT count(*) AS expired FROM ${table.live} r
        WHERE r.created_at < CASE WHEN r.retained THEN ${cutoff.toISOString()}::timestamptz
                                  ELSE ${monthStart(cutoff)}::timestamptz END
          AND ${table.terminal} AND ${underHold ? held(table) : sql`NOT ${held(table)}`}`,
  );
  return result?.expired ?? 0;
}
