/**
 * Retention of one month of `audit_events`: dropping the month's partition (as the service does) against deleting
 * its records row by row (as it did before partitioning: batches of RETENTION_BATCH_SIZE leaves, each one
 * transaction, every row through the legal-hold and append-only triggers), on the same data in one run.
 *
 * Two months of BENCH_RECORDS records each (~600 B payloads, made by generate_series inside the database) are
 * written with their leaves and a signed-size checkpoint row, BENCH_HELD of each month under a legal hold; one
 * month goes by partition drop (the held records copied to `audit_events_held`), the other row by row. Each
 * prints its time; the last line is the ratio.
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh database on that server), else in-memory PGlite.
 *   node --import tsx bench/retention.ts        BENCH_RECORDS=1000000 BENCH_HELD=1000 RETENTION_BATCH_SIZE=1000
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { createDatabase, type Database, execute } from "@kubernaut/db";
import { createFreshDatabase } from "@kubernaut/testing/storage";
import { generateSignerKey, parseSignerKey } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import { retireExpiredEvents } from "../src/retention/audit-events.js";
import { ensureMonthPartitions } from "../src/write/partitions.js";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const HELD = Number(process.env.BENCH_HELD ?? 1_000);
const BATCH = Number(process.env.RETENTION_BATCH_SIZE ?? 1_000);
const serverUrl = process.env.TEST_DATABASE_URL;
const DROPPED = new Date("2025-01-01T00:00:00Z");
const ROW_BY_ROW = new Date("2025-02-01T00:00:00Z");
const NOW = new Date("2025-07-01T00:00:00Z");

const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** `RECORDS` records received during the month starting `month`, their leaves after `firstLeaf`. */
async function writeMonth(database: Database, month: Date, firstLeaf: number, tag: string): Promise<void> {
  await ensureMonthPartitions(database, month, 0);
  const n = sql.raw(String(RECORDS));
  const received = sql`(${month.toISOString()}::timestamptz + (i::float8 / ${n}) * interval '27 days')`;
  for (let from = 1; from <= RECORDS; from += 100_000) {
    const to = Math.min(RECORDS, from + 99_999);
    await database.execute(sql`
      WITH rows AS (
        SELECT gen_random_uuid() AS event_id, i, ${received} AS received_at
        FROM generate_series(${from}::int, ${to}::int) AS i),
      ids AS (INSERT INTO audit_event_ids (event_id) SELECT event_id FROM rows)
      INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at,
        received_at, payload)
      SELECT event_id, CASE WHEN i <= ${HELD} THEN ${`rr-held-${tag}`} ELSE ${`rr-${tag}-`} || (i / 10) END,
        'fp-' || (i / 30), 'remediation-orchestration.processing', 'orchestrator', received_at, received_at,
        jsonb_build_object('remediation_name', 'rr-' || (i / 10), 'overall_phase', 'processing',
          'alert_fingerprint', 'fp-' || (i / 30), 'note', repeat('x', 500))
      FROM rows`);
  }
  await database.execute(sql`
    INSERT INTO audit_log_leaves (leaf_index, leaf_hash, event_id, correlation_id, alert_fingerprint, event_seq)
    SELECT ${firstLeaf} + row_number() OVER (ORDER BY seq) - 1, sha256(event_id::text::bytea), event_id,
      correlation_id, alert_fingerprint, seq
    FROM ${sql.identifier(`audit_events_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, "0")}`)}`);
  await database.execute(sql`
    INSERT INTO legal_holds (correlation_id, reason, requested_by)
    VALUES (${`rr-held-${tag}`}, 'benchmark', 'bench@example.com')`);
}

/** The row-by-row baseline: leaf batches of one transaction each, every row through the triggers. */
async function deleteRowByRow(
  database: Database,
  month: Date,
  fromLeaf: number,
  toLeaf: number,
): Promise<number> {
  const end = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)).toISOString();
  let deleted = 0;
  for (let from = fromLeaf; from < toLeaf; from += BATCH) {
    deleted += await database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('kubernaut.retention', 'on', true)`);
      const [row] = await execute<{ deleted: number }>(
        tx,
        sql`WITH gone AS (
              DELETE FROM audit_events e USING audit_log_leaves l
              WHERE l.event_id = e.event_id AND l.leaf_index >= ${from} AND l.leaf_index < ${from + BATCH}
                AND e.received_at < ${end}::timestamptz AND legal_hold_on(e) IS NULL
              RETURNING 1)
            SELECT count(*) AS deleted FROM gone`,
      );
      return row?.deleted ?? 0;
    });
  }
  return deleted;
}

async function main(): Promise<void> {
  console.log(
    `database: ${serverUrl ? "PostgreSQL (TEST_DATABASE_URL)" : "PGlite"}; node ${process.version}`,
  );
  console.log(
    `${RECORDS} records per month, ${HELD} of them held; row-by-row batches of ${BATCH}; load average ${load()}`,
  );
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  const database = await createDatabase(fresh ? { url: fresh.url } : { dataDir: "memory://" });
  try {
    await database.migrate();
    const started = performance.now();
    await writeMonth(database, DROPPED, 0, "a");
    await writeMonth(database, ROW_BY_ROW, RECORDS, "b");
    await database.execute(sql`
      INSERT INTO audit_log_checkpoints (tree_size, root_hash, note)
      VALUES (${2 * RECORDS}, sha256('bench'::bytea), 'bench')`);
    await database.execute(sql`VACUUM ANALYZE`);
    console.log(`data written in ${seconds(started).toFixed(1)} s; load average ${load()}`);

    let at = performance.now();
    const dropped = await retireExpiredEvents(database.db, {
      cutoff: ROW_BY_ROW,
      batchSize: BATCH,
      runId: randomUUID(),
      now: NOW,
      signer: parseSignerKey(generateSignerKey("bench.example/log").signerKey),
    });
    const dropSeconds = seconds(at);
    console.log(
      `partition drop: ${dropped.deleted} records deleted, ${dropped.kept} held kept, ${dropped.dropped.join(", ")}, ` +
        `${dropSeconds.toFixed(2)} s; load average ${load()}`,
    );

    at = performance.now();
    const deleted = await deleteRowByRow(database, ROW_BY_ROW, RECORDS, 2 * RECORDS);
    const rowSeconds = seconds(at);
    console.log(`row by row: ${deleted} records deleted, ${rowSeconds.toFixed(2)} s; load average ${load()}`);
    console.log(`ratio row by row / partition drop: ${(rowSeconds / dropSeconds).toFixed(1)}`);
  } finally {
    await database.close();
    await fresh?.drop();
  }
}

await main();
