import { retryTransient, type Tx } from "@kubernaut/db";
import { type SimilarInvestigation, aiInvestigationEmbeddings as t } from "@kubernaut/schema";
import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../env.js";

export interface SimilarityQuery {
  vector: number[];
  /** Only rows embedded by this model are compared: vectors of different models share no space. */
  model: string;
  k: number;
  environment?: string | undefined;
  minSimilarity?: number | undefined;
}

/**
 * Candidates the HNSW scan keeps per step: at least k, and enough for recall@10 ≥ 0.95 with margin on 100 000
 * rows (pgvector's default of 40 gives 0.95–0.98 depending on the graph; see BENCHMARKS.md). Capped at 1000.
 */
const EF_SEARCH = 100;
const efSearch = (k: number) => Math.min(1000, Math.max(EF_SEARCH, 2 * k));
/**
 * How many index tuples an iterative scan may visit before giving up. Past pgvector's default of 20 000 a scan
 * is slower than the exact fallback over the few rows such a selective filter leaves.
 */
const MAX_SCAN_TUPLES = 20_000;

const createdAtRfc3339 = sql<
  string | null
>`to_char(${t.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The k stored investigations nearest to `vector` by cosine similarity, most similar first, newest first on ties.
 *
 * The HNSW index is read with an iterative scan (pgvector ≥ 0.8, on PostgreSQL and PGlite alike), set locally in
 * a transaction: a filter on environment or model would otherwise discard most of the `ef_search` candidates of
 * one pass and answer fewer than k rows although more match. `relaxed_order` lets the scan emit rows slightly out
 * of order, so the rows are sorted again here. If the scan still stops short of k (fewer than k rows match, or a
 * filter so selective that `max_scan_tuples` runs out, where the environment index makes an exact scan cheap),
 * the query runs again as an exact scan.
 */
export async function findSimilarInvestigations(
  db: Db | Tx,
  query: SimilarityQuery,
): Promise<SimilarInvestigation[]> {
  // One bound parameter; ordering by the output column keeps the ORDER BY the very expression HNSW serves.
  const distance = sql<number>`${t.embedding} <=> ${JSON.stringify(query.vector)}::vector`;
  // A stored vector whose cosine with the query is undefined (a zero vector, or one whose length over- or
  // underflows pgvector's float4 sums, as an older version could store) has no similarity: it is left out rather
  // than answered as `similarity: null`. PostgreSQL's NaN equals NaN, so `<>` keeps every other row.
  const filters: SQL[] = [
    eq(t.embeddingModel, query.model),
    isNotNull(t.embedding),
    sql`${distance} <> 'NaN'::float8`,
  ];
  if (query.environment !== undefined) filters.push(eq(t.environment, query.environment));

  const nearest = (executor: Db | Tx) =>
    executor
      .select({
        id: t.id,
        alert_fingerprint: t.alertFingerprint,
        investigation_text: t.investigationText,
        root_cause: t.rootCause,
        confidence_score: t.confidenceScore,
        environment: t.environment,
        created_at: createdAtRfc3339,
        distance: distance.mapWith(Number).as("distance"),
      })
      .from(t)
      .where(and(...filters))
      .orderBy(sql`distance`)
      .limit(query.k);

  // A read-only transaction: one that fails for a moment (a lost connection) is simply run again.
  const rows = await retryTransient(() =>
    db.transaction(async (tx) => {
      await tx.execute(sql`SELECT
      set_config('hnsw.iterative_scan', 'relaxed_order', true),
      set_config('hnsw.max_scan_tuples', ${String(MAX_SCAN_TUPLES)}, true),
      set_config('hnsw.ef_search', ${String(efSearch(query.k))}, true)`);
      const approximate = await nearest(tx);
      if (approximate.length === query.k) return approximate;
      await tx.execute(sql`SELECT set_config('enable_indexscan', 'off', true)`);
      return nearest(tx);
    }),
  );

  // Same-width UTC timestamps compare as strings; a missing one sorts as oldest.
  return rows
    .sort((a, b) => a.distance - b.distance || (b.created_at ?? "").localeCompare(a.created_at ?? ""))
    .map(({ distance, ...row }) => ({ ...row, similarity: 1 - distance }))
    .filter((row) => query.minSimilarity === undefined || row.similarity >= query.minSimilarity);
}
