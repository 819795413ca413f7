/**
 * Poison clients against group commit, the write path alone (no HTTP): 32 callers each storing one ~2 KB valid
 * record at a time for BENCH_SECONDS, through `GroupCommitWriter` as the service runs it, once alone and once
 * beside 8 callers that each store, again and again, a record the database refuses (a CHECK constraint added to
 * the bench's database: a value the contract cannot know about). A refused request fails its shared statement, and
 * the group is split in halves down to it; the figure is how many valid writes per second that leaves.
 * BENCH_ROUNDS rounds (which goes first alternates), each on a fresh database.
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh database per round on that server), else in-memory PGlite.
 *   node --import tsx bench/poison.ts        BENCH_SECONDS=3 BENCH_ROUNDS=2 BENCH_POISON_CLIENTS=8
 */
import { createDatabase } from "@kubernaut/db";
import { createFreshDatabase } from "@kubernaut/testing/storage";
import { loadConfig } from "../src/config.js";
import { createAuditWriter } from "../src/database.js";
import { benchRecord } from "./records.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CALLERS = 32;
const POISON_CLIENTS = Number(process.env.BENCH_POISON_CLIENTS ?? 8);
const serverUrl = process.env.TEST_DATABASE_URL;
const config = loadConfig(serverUrl ? { DATABASE_URL: serverUrl } : {});

let sequence = 0;
const validRecord = () => benchRecord(sequence++, 1000);
/** An orchestrator record (every other bench record is one) whose remediation name the constraint refuses. */
function poisonRecord() {
  for (;;) {
    const record = validRecord();
    if (record.kind === "remediation-orchestration") return { ...record, remediation_name: "poison-x" };
  }
}

async function measure(poisonClients: number) {
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  const database = await createDatabase(
    fresh ? { url: fresh.url, poolSize: config.DB_POOL_SIZE } : { dataDir: "memory://" },
  );
  try {
    await database.migrate();
    await database.execute(
      "ALTER TABLE remediation_audit ADD CONSTRAINT bench_no_poison CHECK (remediation_name NOT LIKE 'poison-%')",
    );
    let statements = 0;
    const writer = createAuditWriter(
      {
        driver: database.driver,
        execute: (query) => database.execute(query),
        executePrepared: (query) => {
          statements++;
          return database.executePrepared(query);
        },
      },
      config,
    );
    let valid = 0;
    let refused = 0;
    let unexpected = 0;
    const end = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: CALLERS }, async () => {
        while (performance.now() < end) {
          await writer.store([validRecord()], new Date());
          valid++;
        }
      }),
      ...Array.from({ length: poisonClients }, async () => {
        while (performance.now() < end) {
          await writer.store([poisonRecord()], new Date()).then(
            () => unexpected++,
            () => refused++,
          );
        }
      }),
    ]);
    if (unexpected > 0) throw new Error(`${unexpected} poison records were stored`);
    const seconds = (performance.now() - started) / 1000;
    return {
      validRate: valid / seconds,
      refusedRate: refused / seconds,
      statementRate: statements / seconds,
    };
  } finally {
    await database.close();
    await fresh?.drop();
  }
}

console.log(
  `database: ${serverUrl ? `PostgreSQL, pool ${config.DB_POOL_SIZE}` : "PGlite in memory"}; node ${process.version}; ` +
    `${CALLERS} valid single-record callers for ${SECONDS} s, alone and beside ${POISON_CLIENTS} poison callers`,
);
await measure(0); // warm-up: JIT, the server's caches
for (let round = 1; round <= ROUNDS; round++) {
  const first = round % 2 === 1 ? await measure(0) : undefined;
  const poisoned = await measure(POISON_CLIENTS);
  const clean = first ?? (await measure(0));
  const f = (n: number) => n.toFixed(0).padStart(6);
  console.log(
    `round ${round}: valid writes ${f(clean.validRate)}/s alone, ${f(poisoned.validRate)}/s beside the poison ` +
      `(×${(poisoned.validRate / clean.validRate).toFixed(2)}); poison refused ${f(poisoned.refusedRate)}/s; ` +
      `statements ${f(clean.statementRate)}/s alone, ${f(poisoned.statementRate)}/s beside it`,
  );
}
