import { z } from "zod";
import { FLOAT4_MAX, storableText } from "../wire/storable.js";

export const EMBEDDING_DIMENSIONS = 1536;

/** The squared length of `vector` summed in float4, as pgvector computes it for a cosine distance. */
export function float4SquaredNorm(vector: readonly number[]): number {
  let sum = 0;
  for (const x of vector) {
    const element = Math.fround(x);
    sum = Math.fround(sum + Math.fround(element * element));
  }
  return sum;
}

/**
 * A 1536-dimension embedding as pgvector stores and compares it: float4 elements (finite, at most ±3.4e38), not all
 * zero once rounded to float4, and a length pgvector's float4 arithmetic holds. A zero vector has no direction,
 * and a vector whose squared length underflows to 0 or overflows float4 (elements below about 1e-22 or above about
 * 1e19) gets an undefined cosine similarity, so a search would answer `similarity: null`. The squared length stays
 * below half the float4 range, so that the dot product of any two such vectors is finite too.
 */
export const EmbeddingVector = z
  .array(
    z.number().refine((x) => Number.isFinite(x) && Math.abs(x) <= FLOAT4_MAX, {
      error: "must be a finite number a float4 holds (at most ±3.4e38)",
    }),
  )
  .length(EMBEDDING_DIMENSIONS, {
    error: `must have exactly ${EMBEDDING_DIMENSIONS} dimensions`,
    abort: true,
  })
  .superRefine((vector, ctx) => {
    if (!vector.some((x) => Math.fround(x) !== 0)) {
      ctx.addIssue({
        code: "custom",
        message: "must not be all zeros (once stored as float4): it has no direction to compare",
      });
      return;
    }
    const squared = float4SquaredNorm(vector);
    if (squared === 0 || !(squared <= FLOAT4_MAX / 2)) {
      ctx.addIssue({
        code: "custom",
        message: `its squared length in float4 is ${squared === 0 ? "0 (too small)" : "beyond float4 (too large)"}: cosine similarity with it is undefined; scale it (a unit vector always works)`,
      });
    }
  });

/** Stores an investigation's text; without `embedding` the service's configured embedder computes one. */
export const StoreInvestigationEmbedding = z.strictObject({
  id: z.uuid().optional(),
  alert_fingerprint: storableText().min(1, { error: "must not be empty" }).max(64),
  investigation_text: storableText().min(1, { error: "must not be empty" }).max(200_000),
  embedding: EmbeddingVector.optional(),
  /** Names the model that produced a client-supplied `embedding`. */
  embedding_model: storableText().min(1).max(255).optional(),
  root_cause: storableText().max(255).nullish(),
  confidence_score: z.number().min(0).max(1).nullish(),
  environment: storableText().max(50).nullish(),
});
export type StoreInvestigationEmbedding = z.infer<typeof StoreInvestigationEmbedding>;

/** Top-k similar investigations by cosine similarity, for a query text or a query vector. */
export const SearchInvestigations = z
  .strictObject({
    text: storableText().min(1).max(200_000).optional(),
    vector: EmbeddingVector.optional(),
    /**
     * Only rows embedded by this model are searched. It names the model of `vector` (default "client-supplied",
     * as when storing); a text query is embedded by the service's embedder and searches that model's rows.
     */
    embedding_model: storableText().min(1).max(255).optional(),
    k: z.int().min(1).max(100).default(10),
    environment: storableText().max(50).optional(),
    min_similarity: z.number().min(-1).max(1).optional(),
  })
  .refine((q) => (q.text === undefined) !== (q.vector === undefined), {
    error: "give exactly one of text or vector",
    path: ["text"],
  });
export type SearchInvestigations = z.input<typeof SearchInvestigations>;
