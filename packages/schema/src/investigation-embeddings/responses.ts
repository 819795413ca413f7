import { z } from "zod";

/** `201` answer of `POST /api/v1/embeddings/investigations`: the stored row's id and the model of its vector. */
export const StoredInvestigationEmbedding = z.object({
  id: z.uuid(),
  embedding_model: z.string(),
  embedding_dimensions: z.int(),
});
export type StoredInvestigationEmbedding = z.infer<typeof StoredInvestigationEmbedding>;

/** One past investigation found by similarity search; `similarity` is the cosine similarity, 1 = same direction. */
export const SimilarInvestigation = z.object({
  id: z.uuid(),
  alert_fingerprint: z.string(),
  investigation_text: z.string(),
  root_cause: z.string().nullable(),
  confidence_score: z.number().nullable(),
  environment: z.string().nullable(),
  /** RFC 3339, UTC, with the database's microsecond precision. */
  created_at: z.iso.datetime({ offset: true }).nullable(),
  similarity: z.number(),
});
export type SimilarInvestigation = z.infer<typeof SimilarInvestigation>;

/**
 * `200` answer of `POST /api/v1/embeddings/investigations/search`: the model whose vectors were compared
 * (only rows embedded by that model are searched) and the matches, most similar first, newest first on ties.
 */
export const SimilarInvestigations = z.object({
  embedding_model: z.string(),
  results: z.array(SimilarInvestigation),
});
export type SimilarInvestigations = z.infer<typeof SimilarInvestigations>;
