/**
 * Read benchmark: timeline by fingerprint and every analytics endpoint (7-day window) through app.request(),
 * over synthetic data made with generate_series, plus the EXPLAIN ANALYZE plan of each query.
 *
 *   ../../scripts/test-deps/postgres.sh -- npx tsx bench/queries.ts  PostgreSQL, 1,000,000 rows per table
 *   BENCH_ROWS=100000 npx tsx bench/queries.ts                         PGlite (in memory)
 *
 * Env: BENCH_ROWS (default 1000000), BENCH_TIMELINE_REQUESTS (200), BENCH_ANALYTICS_REQUESTS (20), BENCH_PLANS (1),
 * BENCH_DATABASE_URL (a database to keep between runs: migrated, and filled only when empty).
 */
import { createDatabase, execute } from "@kubernaut/db";
import { createTestDatabase } from "@kubernaut/testing/db";
import { type SQL, sql } from "drizzle-orm";
import { pino } from "pino";
import { z } from "zod";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createAuditWriter, databaseProbe } from "../src/database.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { createServiceMetrics } from "../src/metrics.js";
import { analyticsStatement } from "../src/routes/analytics/define.js";
import { ANALYTICS_DEFINITIONS } from "../src/routes/analytics/index.js";
import { resolveWindow } from "../src/routes/analytics/window.js";
import { timelineQuery } from "../src/routes/queries/timeline.js";
import { benchDataStatements } from "./queries-data.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TIMELINE_REQUESTS = Number(process.env.BENCH_TIMELINE_REQUESTS ?? 200);
const ANALYTICS_REQUESTS = Number(process.env.BENCH_ANALYTICS_REQUESTS ?? 20);
const SHOW_PLANS = process.env.BENCH_PLANS !== "0";
const NOW = new Date();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => ms.toFixed(1).padStart(7);
  return `p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  max ${f(s.at(-1) ?? Number.NaN)} ms`;
}

const database = await openBenchDatabase();
const { db } = database;
console.log(
  `database: ${database.tier}; ${ROWS.toLocaleString("en")} rows per table; Node ${process.version}`,
);

let started = performance.now();
const [present] = await execute<{ n: number }>(db, sql`SELECT count(*) AS n FROM remediation_audit`);
if ((present?.n ?? 0) === 0) {
  for (const statement of benchDataStatements(ROWS, NOW)) await db.execute(statement);
  console.log(
    `generated 4 × ${ROWS.toLocaleString("en")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  await db.execute(sql`ANALYZE`);
  console.log(`reusing ${present?.n.toLocaleString("en")} rows per table`);
}

const config = loadConfig({});
const app = createApp({
  db,
  writer: createAuditWriter(database.database, config),
  database: databaseProbe(database.database),
  config,
  logger: pino({ level: "silent" }),
  metrics: createServiceMetrics(),
  clock: () => NOW,
  embedder: createOfflineEmbedder(),
  lifecycle: { shuttingDown: false },
});

async function timed(path: string, headers: Record<string, string> = {}): Promise<number> {
  const start = performance.now();
  const res = await app.request(path, { headers });
  await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return ms;
}

async function plan(title: string, statement: SQL): Promise<void> {
  if (!SHOW_PLANS) return;
  const rows = await execute<Record<string, string>>(db, sql`EXPLAIN (ANALYZE, COSTS OFF) ${statement}`);
  console.log(`\n  EXPLAIN ANALYZE ${title}`);
  for (const row of rows) console.log(`    ${Object.values(row)[0]}`);
}

async function openBenchDatabase() {
  const url = process.env.BENCH_DATABASE_URL;
  if (url === undefined) return createTestDatabase({ poolSize: 4 });
  const kept = await createDatabase({ url, poolSize: 4 });
  await kept.migrate();
  return { db: kept.db, database: kept, tier: "kept", close: () => kept.close() };
}

// Timeline: random fingerprints among those the events use (~33 events each).
const fingerprints = Math.max(1, Math.floor(ROWS / 33));
const timeline: number[] = [];
for (let i = 0; i < TIMELINE_REQUESTS + 5; i++) {
  const ms = await timed(`/api/v1/audit/timeline/fp-${Math.floor(Math.random() * fingerprints)}`);
  if (i >= 5) timeline.push(ms);
}
console.log(`\ntimeline by fingerprint (${TIMELINE_REQUESTS} requests): ${summary(timeline)}`);
await plan(
  "timeline",
  timelineQuery({ alert_fingerprint: `fp-${Math.floor(fingerprints / 2)}`, limit: 1000 }),
);

const list: number[] = [];
for (let i = 0; i < ANALYTICS_REQUESTS + 2; i++) {
  const ms = await timed(`/api/v1/audit/remediation-orchestration?fingerprint=fp-${i * 97}&limit=50`);
  if (i >= 2) list.push(ms);
}
const firstPage: number[] = [];
for (let i = 0; i < ANALYTICS_REQUESTS + 2; i++) {
  const ms = await timed("/api/v1/audit/remediation-orchestration?phase=failed&limit=500");
  if (i >= 2) firstPage.push(ms);
}
console.log(`list remediation-orchestration by fingerprint:      ${summary(list)}`);
console.log(`list remediation-orchestration phase=failed, 500:   ${summary(firstPage)}`);

console.log(`\nanalytics, window=7d (${ANALYTICS_REQUESTS} requests each, JSON):`);
for (const definition of ANALYTICS_DEFINITIONS) {
  const samples: number[] = [];
  for (let i = 0; i < ANALYTICS_REQUESTS + 2; i++) {
    const ms = await timed(`/api/v1/analytics/${definition.name}?window=7d`);
    if (i >= 2) samples.push(ms);
  }
  console.log(`  ${definition.name.padEnd(30)} ${summary(samples)}`);
}
const csv: number[] = [];
for (let i = 0; i < ANALYTICS_REQUESTS; i++)
  csv.push(await timed("/api/v1/analytics/slow-enrichments?window=7d", { accept: "text/csv" }));
console.log(`  ${"slow-enrichments as CSV".padEnd(30)} ${summary(csv)}`);

for (const definition of ANALYTICS_DEFINITIONS) {
  const params = z.object(definition.params).parse({});
  const window = resolveWindow({ window: "7d" }, definition.defaultSpanMs, NOW);
  await plan(
    definition.name,
    analyticsStatement(definition, { window, limit: definition.defaultLimit ?? 1000, params }),
  );
}

started = performance.now();
await database.close();
console.log(`\nclosed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
