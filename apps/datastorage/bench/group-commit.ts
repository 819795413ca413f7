/**
 * Group commit benchmark of the write path alone (no HTTP): 32 concurrent callers each storing one ~2 KB record
 * at a time for BENCH_SECONDS, then 4 concurrent callers storing batches of 500, through `GroupCommitWriter`
 *   - as the service runs it (`maxInFlight` = the pool size on PostgreSQL, 1 on PGlite), and
 *   - without sharing (`maxInFlight` unbounded: every request its own statement, as without group commit),
 * after a warm-up, in BENCH_ROUNDS rounds (which goes first alternates), each on a fresh database, with the ratio.
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh database per round on that server), else in-memory PGlite.
 *   node --import tsx bench/group-commit.ts        BENCH_SECONDS=3 BENCH_ROUNDS=2 (BENCH_MAX_IN_FLIGHT=n to try another)
 */
import { createDatabase, type Database } from "@kubernaut/db";
import { createFreshDatabase } from "@kubernaut/testing/storage";
import { loadConfig } from "../src/config.js";
import { createAuditWriter } from "../src/database.js";
import { GroupCommitWriter } from "../src/write/group-commit.js";
import { benchRecord } from "./records.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CALLERS = 32;
const BATCHES = 24;
const BATCH = 500;
const serverUrl = process.env.TEST_DATABASE_URL;
const config = loadConfig(serverUrl ? { DATABASE_URL: serverUrl } : {});

let sequence = 0;
const nextRecord = () => benchRecord(sequence++, BATCH);

async function measure(writerOf: (database: Database) => GroupCommitWriter) {
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  const database = await createDatabase(
    fresh ? { url: fresh.url, poolSize: config.DB_POOL_SIZE } : { dataDir: "memory://" },
  );
  try {
    await database.migrate();
    const writer = writerOf(database);
    let singles = 0;
    const end = performance.now() + SECONDS * 1000;
    let started = performance.now();
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (performance.now() < end) {
          await writer.store([nextRecord()], new Date());
          singles++;
        }
      }),
    );
    const singleRate = singles / ((performance.now() - started) / 1000);

    const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, nextRecord));
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let b = next++; b < BATCHES; b = next++) await writer.store(batches[b] ?? [], new Date());
      }),
    );
    const batchRate = (BATCHES * BATCH) / ((performance.now() - started) / 1000);
    return { singleRate, batchRate };
  } finally {
    await database.close();
    await fresh?.drop();
  }
}

console.log(
  `database: ${serverUrl ? `PostgreSQL, pool ${config.DB_POOL_SIZE}` : "PGlite in memory"}; node ${process.version}; ` +
    `${CALLERS} single-record callers for ${SECONDS} s, then ${BATCHES} batches of ${BATCH} by 4 callers`,
);
const unshared = (database: Database) =>
  new GroupCommitWriter(database, {
    maxInFlight: Number.MAX_SAFE_INTEGER,
    maxRecords: config.MAX_BATCH_RECORDS,
  });
const maxInFlight = process.env.BENCH_MAX_IN_FLIGHT;
const grouping = (database: Database) =>
  maxInFlight === undefined
    ? createAuditWriter(database, config)
    : new GroupCommitWriter(database, {
        maxInFlight: Number(maxInFlight),
        maxRecords: config.MAX_BATCH_RECORDS,
      });
await measure(grouping); // warm-up: JIT, the server's caches
for (let round = 1; round <= ROUNDS; round++) {
  // Which goes first alternates, so a trend in the machine's load favours neither.
  const alone = round % 2 === 1 ? await measure(unshared) : undefined;
  const grouped = await measure(grouping);
  const second = alone ?? (await measure(unshared));
  const f = (n: number) => n.toFixed(0).padStart(6);
  console.log(
    `round ${round}: single records ${f(grouped.singleRate)} writes/s with group commit, ${f(second.singleRate)} without ` +
      `(×${(grouped.singleRate / second.singleRate).toFixed(2)}); batches ${f(grouped.batchRate)} records/s with, ` +
      `${f(second.batchRate)} without (×${(grouped.batchRate / second.batchRate).toFixed(2)})`,
  );
}
