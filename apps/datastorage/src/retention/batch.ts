import { execute } from "@kubernaut/db";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../env.js";
import type { RetentionTable } from "./tables.js";

type Executor = Pick<Db, "execute">;

/**
 * Expired rows: terminal, created before the cutoff. `held` selects those an active legal hold covers
 * (`legal_hold_on(row)`, the SQL function of migration `legal-hold-triggers`, which the BEFORE DELETE triggers
 * call too), or those none covers.
 */
function expired(table: RetentionTable, cutoff: Date, held: boolean): SQL {
  return sql`created_at < ${cutoff.toISOString()}::timestamptz AND ${table.terminal}
    AND legal_hold_on(${table.live}) ${held ? sql`IS NOT NULL` : sql`IS NULL`}`;
}

/**
 * Moves up to `limit` expired rows of one table to its archive in one statement: the rows are locked
 * (`SKIP LOCKED`, so concurrent runs never wait on each other), deleted, and their exact copies inserted.
 * Delete and insert commit or roll back together, so a crash at any point loses no row and copies none twice.
 * Rows under an active legal hold stay (were one placed meanwhile, the delete trigger fails the batch).
 */
export async function moveExpiredBatch(
  tx: Executor,
  table: RetentionTable,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const [result] = await execute<{ moved: number }>(
    tx,
    sql`
      WITH moved AS (
        DELETE FROM ${table.live}
        WHERE id IN (
          SELECT id FROM ${table.live}
          WHERE ${expired(table, cutoff, false)}
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
      SELECT count(*) AS moved FROM archived`,
  );
  return result?.moved ?? 0;
}

/** How many rows of one table a run would move now (`held` false), or keeps for a legal hold (`held` true). */
export async function countExpired(
  db: Executor,
  table: RetentionTable,
  cutoff: Date,
  held = false,
): Promise<number> {
  const [result] = await execute<{ expired: number }>(
    db,
    sql`SELECT count(*) AS expired FROM ${table.live} WHERE ${expired(table, cutoff, held)}`,
  );
  return result?.expired ?? 0;
}
