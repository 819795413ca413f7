import { sql } from "drizzle-orm";
import type { Db } from "../env.js";
import { rowsOf } from "../write/rows.js";
import type { RetentionTable } from "./tables.js";

type Executor = Pick<Db, "execute">;

/**
 * Moves up to `limit` expired rows of one table to its archive in one statement: the rows are locked
 * (`SKIP LOCKED`, so concurrent runs never wait on each other), deleted, and their exact copies inserted.
 * Delete and insert commit or roll back together, so a crash at any point loses no row and copies none twice.
 */
export async function moveExpiredBatch(
  tx: Executor,
  table: RetentionTable,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const [result] = rowsOf<{ moved: number }>(
    await tx.execute(sql`
      WITH moved AS (
        DELETE FROM ${table.live}
        WHERE id IN (
          SELECT id FROM ${table.live}
          WHERE created_at < ${cutoff.toISOString()}::timestamptz AND ${table.terminal}
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING ${table.columns}
      ),
      archived AS (
        INSERT INTO ${table.archive} (${table.columns})
        SELECT ${table.columns} FROM moved
        RETURNING 1
      )
      SELECT count(*)::int AS moved FROM archived`),
  );
  return result?.moved ?? 0;
}

/** How many rows of one table a run would move now. */
export async function countExpired(db: Executor, table: RetentionTable, cutoff: Date): Promise<number> {
  const [result] = rowsOf<{ expired: number }>(
    await db.execute(sql`
      SELECT count(*)::int AS expired FROM ${table.live}
      WHERE created_at < ${cutoff.toISOString()}::timestamptz AND ${table.terminal}`),
  );
  return result?.expired ?? 0;
}
