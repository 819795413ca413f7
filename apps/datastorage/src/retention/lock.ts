import { sql } from "drizzle-orm";
import type { Db } from "../env.js";
import { rowsOf } from "../write/rows.js";

/** The advisory lock key of retention runs (`hashtext('kubernaut.retention')` would do; a constant is clearer). */
export const RETENTION_LOCK_KEY = 7_244_531_001;

/** A connection held for the length of a run, so the session-level lock stays with it. */
interface Session {
  query(text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Given an error, the pool discards the connection (and with it any lock it still holds). */
  release(err?: Error): void;
}

interface PoolLike {
  connect(): Promise<Session>;
}

function isPool(client: unknown): client is PoolLike {
  return typeof (client as { connect?: unknown } | null)?.connect === "function";
}

/**
 * Takes the retention lock without waiting: `pg_try_advisory_lock` on one session, so that across replicas at
 * most one run moves rows at a time. Answers the release function, or `null` when another run holds the lock.
 * With a pool, a connection is checked out for the run (a session lock belongs to its connection); PGlite
 * has a single session.
 */
export async function tryRetentionLock(db: Db): Promise<(() => Promise<void>) | null> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (isPool(client)) {
    const session = await client.connect();
    try {
      const { rows } = await session.query("SELECT pg_try_advisory_lock($1) AS locked", [RETENTION_LOCK_KEY]);
      if (rows[0]?.locked !== true) {
        session.release();
        return null;
      }
    } catch (err) {
      session.release();
      throw err;
    }
    return async () => {
      try {
        await session.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
        session.release();
      } catch (err) {
        session.release(err as Error);
      }
    };
  }
  const [row] = rowsOf<{ locked: boolean }>(
    await db.execute(sql`SELECT pg_try_advisory_lock(${RETENTION_LOCK_KEY}) AS locked`),
  );
  if (row?.locked !== true) return null;
  return async () => {
    await db.execute(sql`SELECT pg_advisory_unlock(${RETENTION_LOCK_KEY})`);
  };
}
