import { PARTITION_MONTHS_AHEAD } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";

/** A Drizzle database or transaction, or `@kubernaut/db`'s `Database`. */
interface Executor {
  execute(query: SQL): Promise<unknown>;
}

/**
 * Creates the partitions of `audit_events` and of the three projections for the month of `at` and the months after
 * it that are missing (`ensure_month_partitions`, migration `partitioned-projections`). Idempotent, and safe from
 * several replicas at once.
 */
export async function ensureMonthPartitions(
  db: Executor,
  at: Date,
  monthsAhead = PARTITION_MONTHS_AHEAD,
): Promise<void> {
  await db.execute(
    sql`SELECT count(*) FROM ensure_month_partitions(${at.toISOString()}::timestamptz, ${monthsAhead})`,
  );
}

/** How long the write path trusts that its month's partitions exist before it checks again. */
const RECHECK_MS = 10 * 60_000;

/**
 * `ensureMonthPartitions` for the write path: it runs when the month of receipt changes and at most every ten
 * minutes otherwise, so a write costs nothing extra, the service keeps the next months created as time goes on,
 * and a write never finds its month missing. There is no default partition: were a month's partition dropped by
 * hand, the database refuses the writes (503, naming the missing partition) until the next check creates it again,
 * rather than storing them where retention never looks.
 */
export function monthPartitionKeeper(
  db: Executor,
  now: () => number = Date.now,
): (receivedAt: Date) => Promise<void> {
  let ensured: { month: string; at: number } | null = null;
  return async (receivedAt) => {
    const month = receivedAt.toISOString().slice(0, 7);
    if (ensured?.month === month && now() - ensured.at < RECHECK_MS) return;
    await ensureMonthPartitions(db, receivedAt);
    ensured = { month, at: now() };
  };
}
