import { sql } from "drizzle-orm";
import {
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
  vector,
} from "drizzle-orm/pg-core";
import { EMBEDDING_DIMENSIONS } from "./contract.js";

/**
 * Seed 000's `ai_investigation_embeddings`: investigation texts with their embeddings, for similarity search
 * over past investigations. The model and dimension that produced each vector are stored with it.
 *
 * The ANN index is HNSW on cosine distance rather than the seed's IVFFlat: IVFFlat picks its list centroids
 * from the rows present when the index is built, so built on an empty table (as a migration does) every
 * vector lands in poorly chosen lists and recall collapses until a REINDEX; HNSW needs no training data,
 * keeps recall high as rows arrive, and answers faster at the same recall, at the cost of slower inserts.
 */
export const aiInvestigationEmbeddings = pgTable(
  "ai_investigation_embeddings",
  {
    id: uuid("id").notNull().defaultRandom(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    investigationText: text("investigation_text").notNull(),
    embedding: vector("embedding", { dimensions: EMBEDDING_DIMENSIONS }),
    rootCause: varchar("root_cause", { length: 255 }),
    confidenceScore: numeric("confidence_score", { precision: 3, scale: 2, mode: "number" }),
    environment: varchar("environment", { length: 50 }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).default(sql`NOW()`),
    embeddingModel: varchar("embedding_model", { length: 255 }).notNull(),
    embeddingDimensions: integer("embedding_dimensions").notNull().default(EMBEDDING_DIMENSIONS),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id] }),
    index("idx_ai_investigation_embeddings_embedding").using("hnsw", t.embedding.op("vector_cosine_ops")),
    index("idx_ai_investigation_embeddings_fingerprint").on(t.alertFingerprint),
    index("idx_ai_investigation_embeddings_environment").on(t.environment),
  ],
);
