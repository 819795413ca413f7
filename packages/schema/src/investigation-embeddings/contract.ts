import { z } from "zod";
import { EMBEDDING_DIMENSIONS } from "./table.js";

/** A 1536-dimension embedding of finite numbers. */
export const EmbeddingVector = z
  .array(z.number().refine(Number.isFinite, { error: "must be a finite number" }))
  .length(EMBEDDING_DIMENSIONS, { error: `must have exactly ${EMBEDDING_DIMENSIONS} dimensions` });

/** Stores an investigation's text; without `embedding` the service's configured embedder computes one. */
export const StoreInvestigationEmbedding = z.strictObject({
  id: z.uuid().optional(),
  alert_fingerprint: z.string().min(1, { error: "must not be empty" }).max(64),
  investigation_text: z.string().min(1, { error: "must not be empty" }).max(200_000),
  embedding: EmbeddingVector.optional(),
  /** Names the model that produced a client-supplied `embedding`. */
  embedding_model: z.string().min(1).max(255).optional(),
  root_cause: z.string().max(255).nullish(),
  confidence_score: z.number().min(0).max(1).nullish(),
  environment: z.string().max(50).nullish(),
});
export type StoreInvestigationEmbedding = z.infer<typeof StoreInvestigationEmbedding>;

/** Top-k similar investigations by cosine similarity, for a query text or a query vector. */
export const SearchInvestigations = z
  .strictObject({
    text: z.string().min(1).max(200_000).optional(),
    vector: EmbeddingVector.optional(),
    /**
     * Only rows embedded by this model are searched. It names the model of `vector` (default "client-supplied",
     * as when storing); a text query is embedded by the service's embedder and searches that model's rows.
     */
    embedding_model: z.string().min(1).max(255).optional(),
    k: z.int().min(1).max(100).default(10),
    environment: z.string().max(50).optional(),
    min_similarity: z.number().min(-1).max(1).optional(),
  })
  .refine((q) => (q.text === undefined) !== (q.vector === undefined), {
    error: "give exactly one of text or vector",
    path: ["text"],
  });
export type SearchInvestigations = z.input<typeof SearchInvestigations>;
