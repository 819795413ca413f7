/**
 * Similarity search benchmark of POST /api/v1/embeddings/investigations/search (through `app.request`, so
 * validation and JSON are counted, no socket):
 *   1. loads BENCH_ROWS investigations with multi-row INSERTs, the HNSW index dropped, then times building it;
 *   2. top-10 latency (p50/p95/p99, the scenarios interleaved) for vector queries, vector queries filtered to one environment holding 3 %
 *      of the rows, and text queries (which include the offline embedder);
 *   3. recall@10 of the same queries against an exact scan (`SET LOCAL enable_indexscan = off`);
 *   4. latency and recall of the bare SQL statement for hnsw.ef_search 40, 64, 100 and 200.
 * The rows are synthetic investigation reports embedded by the offline embedder (BENCH_DATA=texts, default)
 * or uniformly random unit vectors (BENCH_DATA=random, the hardest case for an ANN index).
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh database on that server), else PGlite in a temp dir.
 *   node --import tsx bench/similarity.ts      BENCH_ROWS=100000 BENCH_QUERIES=200 BENCH_RECALL_QUERIES=100
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type Database, execute } from "@kubernaut/db";
import { aiInvestigationEmbeddings, SimilarInvestigations } from "@kubernaut/schema";
import { randomVectors, seededRandom } from "@kubernaut/testing/fixtures";
import { createFreshDatabase, type FreshDatabase } from "@kubernaut/testing/storage";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createAuditWriter, databaseProbe } from "../src/database.js";
import { CLIENT_SUPPLIED_MODEL } from "../src/embeddings/embedder.js";
import { createOfflineEmbedder, embedText, OFFLINE_EMBEDDING_MODEL } from "../src/embeddings/offline.js";
import { createServiceMetrics } from "../src/metrics.js";
import { distinctInvestigations, perturb } from "../test/support/investigation-corpus.js";

const serverUrl = process.env.TEST_DATABASE_URL;
const ROWS = Number(process.env.BENCH_ROWS ?? (serverUrl ? 100_000 : 10_000));
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const RECALL_QUERIES = Math.min(QUERIES, Number(process.env.BENCH_RECALL_QUERIES ?? 100));
const DATA = process.env.BENCH_DATA === "random" ? "random" : "texts";
const K = 10;
const BATCH = 500;
const HNSW_INDEX = "idx_ai_investigation_embeddings_embedding";
const model = DATA === "texts" ? OFFLINE_EMBEDDING_MODEL : CLIENT_SUPPLIED_MODEL;
const environmentOf = (i: number) => (i % 100 < 3 ? "staging" : "production");

/** The i-th synthetic row: texts come 50 to a seed (one per incident kind and service). */
function rowsOf(start: number, count: number): Array<{ text: string; embedding: number[] }> {
  if (DATA === "random") {
    return randomVectors(count, 1_000_003 + start).map((embedding, j) => ({
      text: `row ${start + j}`,
      embedding,
    }));
  }
  const out: Array<{ text: string; embedding: number[] }> = [];
  for (let i = start; i < start + count; i++) {
    const text = distinctInvestigations(Math.floor(i / 50))[i % 50] ?? "";
    out.push({ text, embedding: embedText(text) });
  }
  return out;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
const ms = (v: number) => `${v.toFixed(1)} ms`;

const dir = await mkdtemp(join(tmpdir(), "ds-similarity-"));
let fresh: FreshDatabase | undefined;
let database: Database | undefined;
try {
  if (serverUrl) fresh = await createFreshDatabase(serverUrl);
  database = await createDatabase(fresh ? { url: fresh.url, poolSize: 4 } : { dataDir: join(dir, "pglite") });
  await database.migrate();
  const opened = database;
  const db = opened.db;
  const [version] = await execute<{ pg: string; vector: string }>(
    db,
    "SELECT current_setting('server_version') AS pg, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector",
  );
  console.log(
    `database: ${serverUrl ? "PostgreSQL" : "PGlite"} ${version?.pg}, pgvector ${version?.vector}; node ${process.version}`,
  );
  console.log(`${ROWS} rows (${DATA}), ${QUERIES} queries of top-${K}, recall over ${RECALL_QUERIES}`);

  // 1. Load without the ANN index, then build it from its own migrated definition.
  const [hnsw] = await execute<{ indexdef: string }>(
    db,
    sql`SELECT indexdef FROM pg_indexes WHERE indexname = ${HNSW_INDEX}`,
  );
  if (!hnsw) throw new Error(`index ${HNSW_INDEX} not found`);
  await db.execute(sql.raw(`DROP INDEX ${HNSW_INDEX}`));
  let started = performance.now();
  const createdAt = Date.parse("2026-11-01T00:00:00Z");
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch = rowsOf(start, Math.min(BATCH, ROWS - start));
    await db.insert(aiInvestigationEmbeddings).values(
      batch.map((row, j) => ({
        alertFingerprint: `fp-${start + j}`,
        investigationText: row.text,
        embedding: row.embedding,
        environment: environmentOf(start + j),
        embeddingModel: model,
        createdAt: new Date(createdAt + (start + j) * 1000),
      })),
    );
  }
  const loadSeconds = (performance.now() - started) / 1000;
  console.log(
    `load (embedding included): ${loadSeconds.toFixed(1)} s, ${Math.round(ROWS / loadSeconds)} rows/s`,
  );

  const buildMemory = serverUrl ? "1GB" : "512MB";
  started = performance.now();
  await opened.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${buildMemory}'`));
    await tx.execute(sql.raw(hnsw.indexdef));
  });
  const buildSeconds = (performance.now() - started) / 1000;
  await db.execute(sql`ANALYZE ai_investigation_embeddings`);
  console.log(
    `HNSW build: ${buildSeconds.toFixed(1)} s (${hnsw.indexdef.replace(/^.* USING /, "USING ")}, maintenance_work_mem ${buildMemory})`,
  );

  // 2. Latency through the app.
  const config = loadConfig({});
  const app = createApp({
    db,
    writer: createAuditWriter(opened, config),
    database: databaseProbe(opened),
    config,
    logger: pino({ level: "silent" }),
    metrics: createServiceMetrics(),
    clock: () => new Date(),
    embedder: createOfflineEmbedder(),
    lifecycle: { shuttingDown: false },
  });
  const random = seededRandom(2026);
  const queryTexts = Array.from({ length: QUERIES }, () => {
    const i = Math.floor(random() * ROWS);
    return perturb(distinctInvestigations(Math.floor(i / 50))[i % 50] ?? "", random);
  });
  const queryVectors = DATA === "texts" ? queryTexts.map(embedText) : randomVectors(QUERIES, 77);

  const search = async (body: Record<string, unknown>) => {
    const res = await app.request("/api/v1/embeddings/investigations/search", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`search answered ${res.status}: ${await res.text()}`);
    return SimilarInvestigations.parse(await res.json());
  };

  const scenarios: Array<{
    name: string;
    body: (i: number) => Record<string, unknown>;
    environment?: string;
  }> = [
    { name: "vector", body: (i) => ({ vector: queryVectors[i], k: K, embedding_model: model }) },
    {
      name: "vector, environment = staging (3 %)",
      body: (i) => ({ vector: queryVectors[i], k: K, embedding_model: model, environment: "staging" }),
      environment: "staging",
    },
  ];
  if (DATA === "texts")
    scenarios.push({
      name: "text (offline embedding included)",
      body: (i) => ({ text: queryTexts[i], k: K }),
    });

  // 3. Recall against the exact answer of the same query (enable_indexscan off: no ANN index can be used).
  const exactAnswers = new Map<string, string[][]>();
  const exact = async (environment: string | undefined) => {
    const key = environment ?? "";
    const cached = exactAnswers.get(key);
    if (cached) return cached;
    const answers: string[][] = [];
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const rows = await opened.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL enable_indexscan = off`);
        return execute<{ id: string }>(
          tx,
          sql`SELECT id FROM ai_investigation_embeddings
              WHERE embedding_model = ${model} ${environment ? sql`AND environment = ${environment}` : sql``}
              ORDER BY embedding <=> ${JSON.stringify(queryVectors[i])}::vector LIMIT ${K}`,
        );
      });
      answers.push(rows.map((row) => row.id));
    }
    exactAnswers.set(key, answers);
    return answers;
  };
  const recall = async (answers: string[][], environment: string | undefined) => {
    const truth = await exact(environment);
    let found = 0;
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const approximate = new Set(answers[i]);
      found += (truth[i] ?? []).filter((id) => approximate.has(id)).length;
    }
    return found / (RECALL_QUERIES * K);
  };
  const summary = (latencies: number[]) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return `p50 ${ms(percentile(sorted, 0.5))}, p95 ${ms(percentile(sorted, 0.95))}, p99 ${ms(percentile(sorted, 0.99))}, mean ${ms(mean)}`;
  };

  // Interleaved, one query of each scenario in turn, so that cache warm-up and the machine's load fall on all alike.
  for (let i = 0; i < 20; i++) for (const scenario of scenarios) await search(scenario.body(i));
  const measured = scenarios.map(() => ({ latencies: [] as number[], answers: [] as string[][], short: 0 }));
  for (let i = 0; i < QUERIES; i++) {
    for (const [s, scenario] of scenarios.entries()) {
      const into = measured[s];
      if (!into) continue;
      const t0 = performance.now();
      const result = await search(scenario.body(i));
      into.latencies.push(performance.now() - t0);
      into.answers.push(result.results.map((r) => r.id));
      if (result.results.length < K) into.short++;
    }
  }
  for (const [s, scenario] of scenarios.entries()) {
    const { latencies, answers, short } = measured[s] ?? { latencies: [], answers: [], short: 0 };
    const r = await recall(answers, scenario.environment);
    console.log(
      `${scenario.name}: ${summary(latencies)}; recall@${K} ${r.toFixed(3)}${short > 0 ? `; ${short} answers short of ${K}` : ""}`,
    );
  }

  // 4. What ef_search buys, unfiltered, as one SQL statement in a transaction (no HTTP, no JSON), interleaved too.
  const efValues = [40, 64, 100, 200];
  const bySql = efValues.map(() => ({ latencies: [] as number[], answers: [] as string[][] }));
  for (let i = 0; i < RECALL_QUERIES; i++) {
    for (const [e, ef] of efValues.entries()) {
      const t0 = performance.now();
      const rows = await opened.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('hnsw.ef_search', ${String(ef)}, true)`);
        return execute<{ id: string }>(
          tx,
          sql`SELECT id FROM ai_investigation_embeddings WHERE embedding_model = ${model}
              ORDER BY embedding <=> ${JSON.stringify(queryVectors[i])}::vector LIMIT ${K}`,
        );
      });
      bySql[e]?.latencies.push(performance.now() - t0);
      bySql[e]?.answers.push(rows.map((row) => row.id));
    }
  }
  for (const [e, ef] of efValues.entries()) {
    const { latencies, answers } = bySql[e] ?? { latencies: [], answers: [] };
    console.log(
      `SQL only, ef_search ${ef}: ${summary(latencies)}; recall@${K} ${(await recall(answers, undefined)).toFixed(3)}`,
    );
  }
} finally {
  await database?.close();
  await fresh?.drop();
  await rm(dir, { recursive: true, force: true });
}
