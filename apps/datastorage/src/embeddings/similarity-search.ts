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
 * Candidates the HNSW scan keeps per step; at least k so one pass can fill the answer. pgvector caps it at 1000.
 */
const efSearch = (k: number) => Math.min(1000, Math.max(40, 2 * k));
/** How many index tuples an iterative scan may visit before giving up (pgvector's default is 20 000). */
const MAX_SCAN_TUPLES = 50_000;

const createdAtRfc3339 = sql<
  string | null
>`to_char(${t.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The k stored investigations nearest to `vector` by cosine similarity, most similar first, newest first on ties.
 *
 * The HNSW index is read with an iterative scan (pgvector ≥ 0.8, on PostgreSQL and PGlite alike): a filter on
 * environment or model would otherwise discard most of the `ef_search` candidates of one pass and answer fewer
 * than k rows although more match. `relaxed_order` lets the scan emit rows slightly out of order, so the rows are
 * sorted again here. If the scan still stops short of k (a filter so selective that `max_scan_tuples` runs out),
 * the query runs again as an exact scan, which the environment index keeps cheap in exactly that case.
 */
export async function findSimilarInvestigations(
  db: Db,
  query: SimilarityQuery,
): Promise<SimilarInvestigation[]> {
  // One bound parameter; ordering by the output column keeps the ORDER BY the very expression HNSW serves.
  const distance = sql<number>`${t.embedding} <=> ${JSON.stringify(query.vector)}::vector`;
  const filters: SQL[] = [eq(t.embeddingModel, query.model), isNotNull(t.embedding)];
  if (query.environment !== undefined) filters.push(eq(t.environment, query.environment));

  const rows = await db.transaction(async (tx) => {
    const nearest = () =>
      tx
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

    await tx.execute(sql`SELECT
      set_config('hnsw.iterative_scan', 'relaxed_order', true),
      set_config('hnsw.max_scan_tuples', ${String(MAX_SCAN_TUPLES)}, true),
      set_config('hnsw.ef_search', ${String(efSearch(query.k))}, true)`);
    const approximate = await nearest();
    if (approximate.length === query.k) return approximate;
    // Too few: every match is wanted, so compare against all of them without the index.
    await tx.execute(sql`SELECT set_config('enable_indexscan', 'off', true)`);
    return nearest();
  });

  // Same-width UTC timestamps compare as strings; a missing one sorts as oldest.
  return rows
    .sort((a, b) => a.distance - b.distance || (b.created_at ?? "").localeCompare(a.created_at ?? ""))
    .map(({ distance, ...row }) => ({ ...row, similarity: 1 - distance }))
    .filter((row) => query.minSimilarity === undefined || row.similarity >= query.minSimilarity);
}
