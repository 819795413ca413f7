import type { Logger } from "@kubernaut/controller-runtime";
import type { AIAnalysis } from "@kubernaut/crds";
import {
  deterministicEventId,
  type SearchInvestigations,
  type SimilarInvestigations,
  type StoreInvestigationEmbedding,
} from "@kubernaut/schema/contracts";
import { type RequestOptions, StorageApiError } from "@kubernaut/storage-client";
import type { InvestigationFindings } from "../investigation/findings.js";
import type { SimilarInvestigation } from "../investigation/request.js";
import type { AnalysisMetrics } from "../metrics.js";

/** The embedding endpoints of the storage service (a `StorageClient` fits). */
export interface InvestigationEmbeddings {
  storeInvestigationEmbedding(body: StoreInvestigationEmbedding, options?: RequestOptions): Promise<unknown>;
  searchInvestigations(query: SearchInvestigations, options?: RequestOptions): Promise<SimilarInvestigations>;
}

export interface InvestigationMemoryOptions {
  /** Per call; kept short because the analysis never waits long on storage. */
  timeoutMs: number;
  /** How many similar past investigations to fetch; 0 turns the lookup off. */
  k: number;
  logger: Logger;
  metrics: AnalysisMetrics;
}

const EXCERPT_CHARS = 500;

/**
 * Past investigations as memory: similar ones are looked up before investigating, and each finished one is
 * stored for the next. Both are best-effort: a failure is logged and counted, and the analysis goes on.
 */
export class InvestigationMemory {
  private readonly storing = new Set<Promise<void>>();

  constructor(
    private readonly storage: InvestigationEmbeddings,
    private readonly options: InvestigationMemoryOptions,
  ) {}

  /** Past investigations in the same environment whose symptoms read like `symptoms`; none on failure. */
  async recall(environment: string, symptoms: string): Promise<SimilarInvestigation[]> {
    if (this.options.k === 0) return [];
    try {
      const answer = await this.storage.searchInvestigations(
        { text: symptoms, k: this.options.k, environment },
        { timeoutMs: this.options.timeoutMs },
      );
      return answer.results.map((r) => ({
        alertFingerprint: r.alert_fingerprint,
        rootCause: r.root_cause,
        similarity: r.similarity,
        environment: r.environment,
        excerpt: r.investigation_text.slice(0, EXCERPT_CHARS),
      }));
    } catch (error) {
      this.options.metrics.storageFailures.inc({ operation: "search_similar" });
      this.options.logger.warn(
        { err: error },
        "similar investigations unavailable; investigating without them",
      );
      return [];
    }
  }

  /**
   * Stores the investigation for later recall, without waiting: its symptoms, root cause and evidence, which
   * is what a recurrence is searched by (the full report, kept in the audit trail, would dilute the match).
   * Its id derives from the AIAnalysis, so a reconcile that runs again stores nothing twice (the service
   * answers 409, which counts as stored).
   */
  remember(analysis: AIAnalysis, symptoms: string, findings: InvestigationFindings): void {
    const top = findings.rootCauseHypotheses[0];
    const alert = analysis.spec.analysisRequest.alertContext;
    const body: StoreInvestigationEmbedding = {
      id: deterministicEventId(`${analysis.metadata.uid}/investigation-embedding`),
      alert_fingerprint: alert.fingerprint,
      investigation_text: [
        symptoms,
        `root cause: ${top?.hypothesis ?? "unknown"}`,
        ...(top?.evidence ?? []),
      ].join("\n"),
      root_cause: top?.hypothesis.slice(0, 255) ?? null,
      confidence_score: top?.confidence ?? null,
      environment: alert.environment.slice(0, 50),
    };
    const pending = this.storage
      .storeInvestigationEmbedding(body, { timeoutMs: this.options.timeoutMs })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof StorageApiError && error.status === 409) return;
          this.options.metrics.storageFailures.inc({ operation: "store_embedding" });
          this.options.logger.warn(
            { err: error, fingerprint: alert.fingerprint },
            "investigation embedding not stored",
          );
        },
      )
      .finally(() => this.storing.delete(pending));
    this.storing.add(pending);
  }

  /** Waits for embeddings still being stored (at most one timeout each), e.g. before the process exits. */
  async settle(): Promise<void> {
    await Promise.all([...this.storing]);
  }
}
