import { z } from "zod";
import { FLOAT4_MAX, storableText } from "../wire/storable.js";
import { EMBEDDING_DIMENSIONS } from "./table.js";

/**
 * A 1536-dimension embedding as pgvector stores it: float4 elements (finite, at most ±3.4e38) and not all zero once
 * rounded to float4 (a zero vector has no direction, so cosine similarity with it is undefined).
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
  .refine((v) => v.some((x) => Math.fround(x) !== 0), {
    error: "must not be all zeros (once stored as float4): it has no direction to compare",
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
