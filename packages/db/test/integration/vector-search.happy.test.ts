import { execute } from "@kubernaut/db";
import { aiInvestigationEmbeddings, EMBEDDING_DIMENSIONS } from "@kubernaut/schema";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { cosineDistance, normalise, unitVectors } from "@kubernaut/testing/fixtures";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROWS = 60;

describe("pgvector cosine search on ai_investigation_embeddings", () => {
  let t: TestDatabase;
  let vectors: number[][];

  beforeEach(async () => {
    t = await createTestDatabase();
    vectors = unitVectors(ROWS, EMBEDDING_DIMENSIONS, 1536);
    await t.db.insert(aiInvestigationEmbeddings).values(
      vectors.map((embedding, i) => ({
        alertFingerprint: `fp-${i}`,
        investigationText: `investigation ${i}`,
        embedding,
        embeddingModel: "test-random",
      })),
    );
  });
  afterEach(() => t.close());

  const literal = (vector: number[]) => JSON.stringify(vector);

  it("computes <=> as 1 − cosine similarity and orders exactly like a brute-force scan", async () => {
    const [query] = unitVectors(1, EMBEDDING_DIMENSIONS, 7);
    const q = query ?? [];
    // Without the ANN index the scan is exact, so the whole ordering must match.
    const rows = await t.database.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_indexscan = off`);
      return execute<{ alert_fingerprint: string; distance: number }>(
        tx,
        sql`SELECT alert_fingerprint, embedding <=> ${literal(q)}::vector AS distance
            FROM ai_investigation_embeddings ORDER BY distance`,
      );
    });

    const expected = vectors
      .map((v, i) => ({ fingerprint: `fp-${i}`, distance: cosineDistance(v, q) }))
      .sort((a, b) => a.distance - b.distance);
    expect(rows).toHaveLength(ROWS);
    expect(rows.map((r) => r.alert_fingerprint)).toEqual(expected.map((e) => e.fingerprint));
    rows.forEach((row, i) => {
      expect(row.distance).toBeCloseTo(expected[i]?.distance ?? Number.NaN, 5);
    });
  });

  it("finds the true nearest neighbour through the HNSW index", async () => {
    // A small perturbation of row 42: its nearest neighbour is row 42 by a wide margin.
    const [noise] = unitVectors(1, EMBEDDING_DIMENSIONS, 99);
    const q = normalise((vectors[42] ?? []).map((x, i) => x + 0.05 * (noise?.[i] ?? 0)));
    const bruteForce = vectors
      .map((v, i) => ({ i, distance: cosineDistance(v, q) }))
      .sort((a, b) => a.distance - b.distance)[0];

    const [plan, nearest] = await t.database.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const query = sql`SELECT alert_fingerprint FROM ai_investigation_embeddings
        ORDER BY embedding <=> ${literal(q)}::vector LIMIT 5`;
      return [
        await execute(tx, sql`EXPLAIN ${query}`),
        await execute<{ alert_fingerprint: string }>(tx, query),
      ];
    });

    expect(bruteForce?.i).toBe(42);
    expect(JSON.stringify(plan)).toContain("idx_ai_investigation_embeddings_embedding");
    expect(nearest[0]?.alert_fingerprint).toBe("fp-42");
    expect(nearest).toHaveLength(5);
  });
});
