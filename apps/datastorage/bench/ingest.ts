/**
 * Ingest benchmark of the Data Storage Service, over a real socket against the built server (`dist/server.js`):
 *   1. records/s through POST /api/v1/audit/batch (batches of 500 ~2 KB records, 4 concurrent clients);
 *   2. the same rows written directly with multi-row INSERTs (`pg`, or PGlite in-process), and the ratio; on
 *      PostgreSQL also by COPY (appends straight in, upserts through a temporary table), and that ratio;
 *   3. single-record POSTs: the latency at a steady 200 req/s (open loop) right after the burst; then, once the
 *      sealer has caught up (and on PostgreSQL after a VACUUM ANALYZE of what the runs before wrote), at 200 and
 *      at 1,000 req/s, and the rate 32 clients reach closed loop (capacity);
 *   4. the service's peak RSS.
 * PostgreSQL when TEST_DATABASE_URL is set (e.g. under scripts/test-deps/postgres.sh), else PGlite.
 *   node --import tsx bench/ingest.ts        BENCH_RECORDS=20000 BENCH_LATENCY_SECONDS=15 BENCH_RATE=200 BENCH_HIGH_RATE=1000
 */
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, createPgliteDatabase, openPglite } from "@kubernaut/db";
import type { AuditRecord } from "@kubernaut/schema";
import { createFreshDatabase, type FreshDatabase } from "@kubernaut/testing/storage";
import pg from "pg";
import { directCopy, directStatements, type Statement } from "./direct.js";
import { benchRecord } from "./records.js";
import { startService } from "./service.js";

const BATCH = 500;
const CLIENTS = 4;
const TOTAL = Number(process.env.BENCH_RECORDS ?? 20_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const HIGH_RATE = Number(process.env.BENCH_HIGH_RATE ?? 1000);
const CAPACITY_SECONDS = 5;
const CAPACITY_CLIENTS = 32;
const serverUrl = process.env.TEST_DATABASE_URL;

const batches: AuditRecord[][] = [];
for (let b = 0; b < TOTAL / BATCH; b++) {
  batches.push(Array.from({ length: BATCH }, (_, i) => benchRecord(b * BATCH + i, BATCH)));
}
const bodies = batches.map((records) => JSON.stringify({ records }));
const avgBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / TOTAL;
console.log(`database: ${serverUrl ? "PostgreSQL (TEST_DATABASE_URL)" : "PGlite"}; node ${process.version}`);
console.log(
  `${TOTAL} records in ${batches.length} batches of ${BATCH}, ~${Math.round(avgBytes)} B per record, ${CLIENTS} clients`,
);

/** Runs `work(i)` for i in 0..n with `concurrency` workers; answers the wall time in seconds. */
async function pooled(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
  return (performance.now() - started) / 1000;
}

const dir = await mkdtemp(join(tmpdir(), "ds-bench-"));
const fresh: FreshDatabase[] = [];
const freshUrl = async () => {
  if (!serverUrl) throw new Error("no server");
  const db = await createFreshDatabase(serverUrl);
  fresh.push(db);
  return db.url;
};

/** A pool of CLIENTS connections to a fresh, migrated database, and a way to run work in one transaction. */
async function migratedPool(name: string) {
  const url = await freshUrl();
  const { migrate, close } = await createDatabase({ url });
  await migrate();
  await close();
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  pool.on("error", (err) => console.error(`${name} pool: ${err.message}`));
  const inTransaction = async (work: (client: pg.PoolClient) => Promise<void>) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  return { pool, inTransaction };
}

try {
  // 1. Through the service.
  const warmup = JSON.stringify({
    records: Array.from({ length: BATCH }, (_, i) => benchRecord(TOTAL + i, BATCH)),
  });
  let serviceRate = 0;
  const serviceDatabaseUrl = serverUrl ? await freshUrl() : undefined;
  const service = await startService(
    serviceDatabaseUrl ? { DATABASE_URL: serviceDatabaseUrl } : { DATA_DIR: join(dir, "service") },
  );
  try {
    const postBatch = async (body: string) => {
      const res = await fetch(`${service.url}/api/v1/audit/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      if (res.status !== 201) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    await postBatch(warmup);
    const serviceSeconds = await pooled(bodies.length, CLIENTS, (i) => postBatch(bodies[i] as string));
    serviceRate = TOTAL / serviceSeconds;
    console.log(`service batch ingest: ${serviceRate.toFixed(0)} records/s (${serviceSeconds.toFixed(2)} s)`);
    const rssAfterIngest = service.peakRssMiB();

    // 3. Single-record latency at a steady rate (sent on schedule, whether or not earlier ones answered).
    const single = (i: number) => {
      const { kind, ...record } = benchRecord(i, BATCH);
      return { kind, body: JSON.stringify(record) };
    };
    const singles = Array.from({ length: LATENCY_SECONDS * RATE }, (_, i) => single(TOTAL + BATCH + i));
    const settledSingles = Array.from({ length: LATENCY_SECONDS * RATE }, (_, i) =>
      single(10 * TOTAL + 20_000 + i),
    );
    const fastSingles = Array.from({ length: LATENCY_SECONDS * HIGH_RATE }, (_, i) =>
      single(20 * TOTAL + 40_000 + i),
    );
    // Every run has records of its own (fresh event ids): none leaves another anything to deduplicate.
    const capacityRecords = Array.from({ length: 20_000 }, (_, i) => single(10 * TOTAL + i));
    const paths: Record<string, string> = {
      "remediation-orchestration": "/api/v1/audit/remediation-orchestration",
      "alert-processing": "/api/v1/audit/alert-processing",
      "ai-analysis": "/api/v1/audit/ai-analysis",
    };
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });

    /** Sends `records` at `rate` on schedule and prints the latency figures. */
    const steadyRate = async (
      label: string,
      rate: number,
      records: readonly { kind: string; body: string }[],
    ) => {
      const latencies: number[] = [];
      let failures = 0;
      const start = performance.now();
      await Promise.all(
        records.map(async ({ kind, body }, i) => {
          const due = start + (i * 1000) / rate;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
          const status = await postOnce(agent, `${service.url}${paths[kind]}`, body).catch(() => 0);
          // Measured from when the request was due, so a backlog shows up in the figures.
          if (status === 201) latencies.push(performance.now() - due);
          else failures++;
        }),
      );
      latencies.sort((a, b) => a - b);
      const pct = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
      console.log(
        `single POST at ${rate} req/s for ${LATENCY_SECONDS} s${label}: p50 ${pct(50).toFixed(1)} ms, ` +
          `p95 ${pct(95).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms; ${failures} failed`,
      );
    };
    // Right after the burst: the sealer seals its backlog beside the writes (and, on PostgreSQL, autovacuum works
    // through the rows the runs above wrote in seconds).
    await steadyRate(", right after the burst", RATE, singles);
    // Steady state: the sealer has caught up and, on PostgreSQL, the rows written so far are vacuumed.
    const sealWait = await sealerCaughtUp(service.url);
    console.log(`sealer caught up: waited ${sealWait.toFixed(1)} s more for it after that run`);
    if (serviceDatabaseUrl) {
      const settle = new pg.Client({ connectionString: serviceDatabaseUrl });
      await settle.connect();
      await settle.query("VACUUM ANALYZE");
      await settle.end();
    }
    await steadyRate(", steady (sealer caught up)", RATE, settledSingles);
    await steadyRate(", steady (sealer caught up)", HIGH_RATE, fastSingles);
    // Capacity, last (on the settled database): single POSTs closed loop, CAPACITY_CLIENTS at once, each sending
    // as soon as it has an answer.
    const capacityEnd = performance.now() + CAPACITY_SECONDS * 1000;
    let capacityWrites = 0;
    let nextSingle = 0;
    await Promise.all(
      Array.from({ length: CAPACITY_CLIENTS }, async () => {
        while (performance.now() < capacityEnd) {
          const { kind, body } = capacityRecords[nextSingle++ % capacityRecords.length] ?? {};
          if (!kind || !body) break;
          if ((await postOnce(agent, `${service.url}${paths[kind]}`, body).catch(() => 0)) === 201)
            capacityWrites++;
        }
      }),
    );
    console.log(
      `single POST capacity, closed loop, ${CAPACITY_CLIENTS} clients: ${(capacityWrites / CAPACITY_SECONDS).toFixed(0)} writes/s`,
    );
    agent.destroy();
    console.log(
      `service peak RSS: ${rssAfterIngest.toFixed(0)} MiB after the batch ingest, ${service.peakRssMiB().toFixed(0)} MiB overall`,
    );
  } finally {
    await service.stop();
  }

  // 2. The same rows, directly.
  const statements = batches.map((records) => directStatements(records, new Date()));
  const warmStatements = directStatements(JSON.parse(warmup).records, new Date());
  let directSeconds: number;
  if (serverUrl) {
    const { pool, inTransaction } = await migratedPool("direct");
    const run = (batch: Statement[]) =>
      inTransaction(async (client) => {
        for (const s of batch) await client.query(s.text, s.values);
      });
    await run(warmStatements);
    directSeconds = await pooled(statements.length, CLIENTS, (i) => run(statements[i] as Statement[]));
    await pool.end();
  } else {
    const client = await openPglite({ dataDir: join(dir, "direct") });
    const database = createPgliteDatabase(client);
    await database.migrate();
    const run = (batch: Statement[]) =>
      client.transaction(async (tx) => {
        for (const s of batch) await tx.query(s.text, s.values);
      });
    await run(warmStatements);
    directSeconds = await pooled(statements.length, CLIENTS, async (i) => {
      await run(statements[i] as Statement[]);
    });
    await database.close();
  }
  const directRate = TOTAL / directSeconds;
  console.log(`direct multi-row INSERT: ${directRate.toFixed(0)} records/s (${directSeconds.toFixed(2)} s)`);
  console.log(`service / direct: ${(serviceRate / directRate).toFixed(2)}`);

  // 3. The same rows by COPY (PostgreSQL only): appends straight in, upserts through a temporary table.
  if (serverUrl) {
    const { pool, inTransaction } = await migratedPool("copy");
    const receivedAt = new Date();
    const run = (records: AuditRecord[]) =>
      inTransaction((client) => directCopy(client, records, receivedAt));
    await run(JSON.parse(warmup).records);
    const copySeconds = await pooled(batches.length, CLIENTS, (i) => run(batches[i] as AuditRecord[]));
    await pool.end();
    const copyRate = TOTAL / copySeconds;
    console.log(`direct COPY: ${copyRate.toFixed(0)} records/s (${copySeconds.toFixed(2)} s)`);
    console.log(`service / direct COPY: ${(serviceRate / copyRate).toFixed(2)}`);
  } else {
    console.log("direct COPY: not measured on PGlite (COPY FROM STDIN needs a PostgreSQL connection)");
  }
} finally {
  for (const db of fresh) await db.drop();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Waits until the service's audit log holds every record it stored (its metrics: tree size against records
 * inserted), at most 5 minutes; answers the seconds waited.
 */
async function sealerCaughtUp(url: string): Promise<number> {
  const started = performance.now();
  const metric = (text: string, pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const inserted = metric(text, /^datastorage_audit_writes_total\{[^}]*outcome="inserted"[^}]*\} (\S+)$/gm);
    const sealed = metric(text, /^datastorage_audit_log_tree_size (\S+)$/gm);
    if (sealed >= inserted) return (performance.now() - started) / 1000;
    if (performance.now() - started > 300_000)
      throw new Error(`sealer still at ${sealed} of ${inserted} after 5 min`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One POST over a keep-alive agent; answers the status once the body is read. */
function postOnce(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}
