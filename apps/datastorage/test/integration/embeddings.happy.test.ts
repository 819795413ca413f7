import { execute } from "@kubernaut/db";
import {
  aiInvestigationEmbeddings,
  SimilarInvestigations,
  StoredInvestigationEmbedding,
} from "@kubernaut/schema";
import { cosine, exactRanking, nudge, randomVectors, seededRandom } from "@kubernaut/testing/fixtures";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embedText, OFFLINE_EMBEDDING_MODEL } from "../../src/embeddings/offline.js";
import { findSimilarInvestigations } from "../../src/embeddings/similarity-search.js";
import type { Db } from "../../src/env.js";
import { type EmbeddingsTestApp, openEmbeddingsApp } from "../support/embeddings-app.js";
import { distinctInvestigations, perturb } from "../support/investigation-corpus.js";

const STORE = "/api/v1/embeddings/investigations";
const SEARCH = "/api/v1/embeddings/investigations/search";

let now = new Date("2026-11-23T10:00:00.000Z");
let t: EmbeddingsTestApp;

beforeEach(async () => {
  now = new Date("2026-11-23T10:00:00.000Z");
  t = await openEmbeddingsApp({ clock: () => now });
});
afterEach(async () => {
  await t.close();
});

async function store(body: Record<string, unknown>): Promise<StoredInvestigationEmbedding> {
  const res = await t.post(STORE, { alert_fingerprint: "fp", ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return StoredInvestigationEmbedding.parse(await res.json());
}

async function search(body: Record<string, unknown>): Promise<SimilarInvestigations> {
  const res = await t.post(SEARCH, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return SimilarInvestigations.parse(await res.json());
}

/**
 * Many rows by multi-row INSERTs, for search tests. The HNSW index is dropped while they load and then built
 * again from its own definition: one bulk build is several times faster than as many single-row inserts.
 */
async function seedRows(db: Db, rows: Array<{ embedding: number[]; environment: string; text: string }>) {
  const [hnsw] = await execute<{ indexdef: string }>(
    db,
    "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_ai_investigation_embeddings_embedding'",
  );
  expect(hnsw?.indexdef).toContain("USING hnsw");
  await db.execute(sql`DROP INDEX idx_ai_investigation_embeddings_embedding`);
  for (let i = 0; i < rows.length; i += 100) {
    await db.insert(aiInvestigationEmbeddings).values(
      rows.slice(i, i + 100).map((row, j) => ({
        alertFingerprint: `fp-${i + j}`,
        investigationText: row.text,
        embedding: row.embedding,
        environment: row.environment,
        embeddingModel: "client-supplied",
        createdAt: new Date(now.getTime() + i + j),
      })),
    );
  }
  await db.execute(sql.raw(hnsw?.indexdef ?? ""));
  await db.execute(sql`ANALYZE ai_investigation_embeddings`);
}

/** Stored vectors are float4: equal to what was sent up to rounding. */
function largestDifference(actual: number[], expected: number[]): number {
  expect(actual).toHaveLength(expected.length);
  return Math.max(...actual.map((v, i) => Math.abs(v - (expected[i] ?? Number.NaN))));
}

describe("storing investigations", () => {
  it("computes the embedding with the configured embedder when none is sent", async () => {
    const text = "Container checkout was OOMKilled 12 times; memory reached the 512Mi limit.";
    const stored = await store({
      alert_fingerprint: "fp-oom",
      investigation_text: text,
      root_cause: "memory leak",
      confidence_score: 0.85,
      environment: "production",
    });
    expect(stored).toMatchObject({ embedding_model: OFFLINE_EMBEDDING_MODEL, embedding_dimensions: 1536 });

    const [row] = await t.db
      .select()
      .from(aiInvestigationEmbeddings)
      .where(eq(aiInvestigationEmbeddings.id, stored.id));
    expect(row).toMatchObject({
      alertFingerprint: "fp-oom",
      investigationText: text,
      rootCause: "memory leak",
      confidenceScore: 0.85,
      environment: "production",
      embeddingModel: OFFLINE_EMBEDDING_MODEL,
      embeddingDimensions: 1536,
      createdAt: now,
    });
    const expected = embedText(text);
    expect(row?.embedding).toHaveLength(1536);
    expect(largestDifference(row?.embedding ?? [], expected)).toBeLessThan(1e-6);
  });

  it("keeps a client-supplied vector as sent, under the model the client names", async () => {
    const [vector] = randomVectors(1, 1);
    const stored = await store({ investigation_text: "client vector", embedding: vector });
    expect(stored.embedding_model).toBe("client-supplied");
    const named = await store({
      id: crypto.randomUUID(),
      investigation_text: "named",
      embedding: vector,
      embedding_model: "text-embedding-3-small",
    });
    expect(named.embedding_model).toBe("text-embedding-3-small");

    const [row] = await t.db
      .select()
      .from(aiInvestigationEmbeddings)
      .where(eq(aiInvestigationEmbeddings.id, stored.id));
    expect(row?.embeddingModel).toBe("client-supplied");
    expect(largestDifference(row?.embedding ?? [], vector ?? [])).toBeLessThan(1e-6);
    expect(await t.storedRows()).toBe(2);
  });

  it("stores under the id the client chose", async () => {
    const id = crypto.randomUUID();
    expect((await store({ id, investigation_text: "with an id" })).id).toBe(id);
  });
});

describe("searching investigations", () => {
  it("finds, by text, the original of a re-worded report first among distinct investigations", async () => {
    const originals = distinctInvestigations().filter((_, i) => i % 5 === 0);
    const ids: string[] = [];
    for (const text of originals)
      ids.push((await store({ investigation_text: text, environment: "production" })).id);

    const random = seededRandom(3);
    for (const [i, original] of originals.entries()) {
      const result = await search({ text: perturb(original, random), k: 3 });
      expect(result.embedding_model).toBe(OFFLINE_EMBEDDING_MODEL);
      expect(result.results).toHaveLength(3);
      expect(result.results[0]?.id).toBe(ids[i]);
      expect(result.results[0]?.investigation_text).toBe(original);
      const similarities = result.results.map((r) => r.similarity);
      expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    }
  });

  it("answers by vector the exact top-k with their cosine similarities", async () => {
    const vectors = randomVectors(40, 11);
    for (const [i, embedding] of vectors.entries()) {
      await store({
        investigation_text: `investigation ${i}`,
        embedding,
        root_cause: `cause ${i}`,
        environment: "production",
      });
    }
    const query = nudge(vectors[7] ?? [], 0.02, 5);
    const result = await search({ vector: query, k: 5 });

    const expected = exactRanking(query, vectors).slice(0, 5);
    expect(result.embedding_model).toBe("client-supplied");
    expect(result.results.map((r) => r.investigation_text)).toEqual(
      expected.map((i) => `investigation ${i}`),
    );
    expect(result.results[0]).toMatchObject({ investigation_text: "investigation 7", root_cause: "cause 7" });
    for (const [rank, index] of expected.entries()) {
      expect(result.results[rank]?.similarity).toBeCloseTo(cosine(query, vectors[index] ?? []), 5);
    }
    expect(result.results[0]?.similarity).toBeGreaterThan(0.9);
  });

  it("searches only rows of the query's embedding model", async () => {
    const [vector] = randomVectors(1, 2);
    await store({ investigation_text: "disk pressure on worker-3 evicted pods" });
    await store({ investigation_text: "supplied", embedding: vector });
    await store({
      investigation_text: "other model",
      embedding: vector,
      embedding_model: "text-embedding-3-small",
    });

    const byText = await search({ text: "disk pressure evicted pods", k: 10 });
    expect(byText.results.map((r) => r.investigation_text)).toEqual([
      "disk pressure on worker-3 evicted pods",
    ]);

    const byVector = await search({ vector, k: 10 });
    expect(byVector.results.map((r) => r.investigation_text)).toEqual(["supplied"]);

    const named = await search({ vector, k: 10, embedding_model: "text-embedding-3-small" });
    expect(named).toMatchObject({ embedding_model: "text-embedding-3-small" });
    expect(named.results.map((r) => r.investigation_text)).toEqual(["other model"]);
  });

  it("drops matches below min_similarity", async () => {
    const vectors = randomVectors(10, 21);
    for (const [i, embedding] of vectors.entries()) await store({ investigation_text: `v${i}`, embedding });
    const query = nudge(vectors[4] ?? [], 0.02, 9);

    const all = await search({ vector: query, k: 10 });
    expect(all.results).toHaveLength(10);
    const close = await search({ vector: query, k: 10, min_similarity: 0.9 });
    expect(close.results.map((r) => r.investigation_text)).toEqual(["v4"]);
    expect(close.results[0]?.similarity).toBeGreaterThanOrEqual(0.9);
  });

  it("ranks the newest first among equally similar rows", async () => {
    const [vector] = randomVectors(1, 31);
    const older = await store({ investigation_text: "first report", embedding: vector });
    now = new Date("2026-11-23T11:00:00.000Z");
    const newer = await store({ investigation_text: "second report", embedding: vector });

    const result = await search({ vector, k: 2 });
    expect(result.results.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(result.results[0]?.similarity).toBeCloseTo(1, 6);
    expect(result.results[0]?.created_at).toBe("2026-11-23T11:00:00.000000Z");
  });

  // Seeding 500 rows of 1536 dimensions takes a while on PGlite (WASM) on a busy machine.
  it("fills k from a filter matching 15 of 500 rows, whether the planner picks a plain or the HNSW index", async () => {
    const vectors = randomVectors(500, 41);
    const environmentOf = (i: number) => (i % 33 === 0 && i < 495 ? "staging" : "production");
    const staging = vectors.flatMap((_, i) => (environmentOf(i) === "staging" ? [i] : []));
    expect(staging).toHaveLength(15);
    await seedRows(
      t.db,
      vectors.map((embedding, i) => ({ embedding, environment: environmentOf(i), text: `row ${i}` })),
    );
    const query = randomVectors(1, 99)[0] ?? [];
    const exactStagingTop10 = exactRanking(
      query,
      staging.map((i) => vectors[i] ?? []),
    )
      .slice(0, 10)
      .map((rank) => `row ${staging[rank]}`);

    const result = await search({ vector: query, k: 10, environment: "staging" });
    expect(result.results.map((r) => r.environment)).toEqual(new Array(10).fill("staging"));
    expect(result.results.map((r) => r.investigation_text)).toEqual(exactStagingTop10);

    // Without the environment index and with sequential scans priced out, only the HNSW index can order the
    // rows, and a single pass of ef_search candidates would hold about one staging row in 33.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`DROP INDEX idx_ai_investigation_embeddings_environment`);
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const plan = await execute(
        tx,
        sql`EXPLAIN SELECT id FROM ai_investigation_embeddings WHERE environment = 'staging'
            ORDER BY embedding <=> ${JSON.stringify(query)}::vector LIMIT 10`,
      );
      expect(JSON.stringify(plan)).toContain("Index Scan using idx_ai_investigation_embeddings_embedding");
      const onePass = await execute(
        tx,
        sql`SELECT id FROM ai_investigation_embeddings WHERE environment = 'staging'
            ORDER BY embedding <=> ${JSON.stringify(query)}::vector LIMIT 10`,
      );
      expect(onePass.length).toBeLessThan(10);

      const rows = await findSimilarInvestigations(tx, {
        vector: query,
        model: "client-supplied",
        k: 10,
        environment: "staging",
      });
      expect(rows.map((r) => r.investigation_text)).toEqual(exactStagingTop10);
    });
  }, 180_000);
});
