import {
  RecommendationEffectivenessResponse,
  type SearchInvestigations,
  SimilarInvestigations,
  StoredInvestigationEmbedding,
  type StoreInvestigationEmbedding,
} from "@kubernaut/schema";
import { type RequestOptions, StorageClient } from "@kubernaut/storage-client";

/**
 * The storage reads and writes this controller makes besides audit: investigation embeddings and the
 * recommendation effectiveness analytics. The shared client has no methods for them yet, so they are added
 * here on top of its transport (same timeouts, token and typed errors).
 */
export class AnalysisStorageClient extends StorageClient {
  /** `POST /api/v1/embeddings/investigations`; without `embedding` the service computes one. */
  storeInvestigationEmbedding(
    body: StoreInvestigationEmbedding,
    options?: RequestOptions,
  ): Promise<StoredInvestigationEmbedding> {
    return this.http.json(
      { method: "POST", path: "/api/v1/embeddings/investigations", body: JSON.stringify(body), ...options },
      StoredInvestigationEmbedding,
    );
  }

  /** `POST /api/v1/embeddings/investigations/search`: the top-k past investigations by cosine similarity. */
  searchInvestigations(
    query: SearchInvestigations,
    options?: RequestOptions,
  ): Promise<SimilarInvestigations> {
    return this.http.json(
      {
        method: "POST",
        path: "/api/v1/embeddings/investigations/search",
        body: JSON.stringify(query),
        ...options,
      },
      SimilarInvestigations,
    );
  }

  /** `GET /api/v1/analytics/recommendation-effectiveness`: success rate and sample count per action. */
  recommendationEffectiveness(
    query: { environment?: string; window?: string },
    options?: RequestOptions,
  ): Promise<RecommendationEffectivenessResponse> {
    return this.http.json(
      { method: "GET", path: "/api/v1/analytics/recommendation-effectiveness", query, ...options },
      RecommendationEffectivenessResponse,
    );
  }
}
