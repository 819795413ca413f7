import { type AuditMetrics, type AuditPublisher, auditMetrics } from "@kubernaut/storage-client";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type StorageReadOperation = "search_similar" | "store_embedding" | "historical_success_rates";

/** This controller's own instruments (the audit publisher's come from the storage client's `aianalysis` preset). */
export interface AnalysisMetrics {
  audit: AuditMetrics;
  investigations: Counter<"provider" | "outcome">;
  hallucinations: Counter;
  phaseDuration: Histogram<"phase">;
  analyses: Counter<"completion_status">;
  storageFailures: Counter<"operation">;
}

export function analysisMetrics(registry: Registry): AnalysisMetrics {
  const registers = [registry];
  const storageFailures = new Counter({
    name: "kubernaut_aianalysis_storage_read_failures_total",
    help: "Best-effort storage calls that failed or timed out (the analysis went on without them), by operation",
    labelNames: ["operation"] as const,
    registers,
  });
  for (const operation of ["search_similar", "store_embedding", "historical_success_rates"]) {
    storageFailures.inc({ operation }, 0);
  }
  return {
    audit: auditMetrics(registry, "aianalysis"),
    investigations: new Counter({
      name: "kubernaut_aianalysis_investigations_total",
      help: "Investigation attempts by provider and outcome (success, retry, failed)",
      labelNames: ["provider", "outcome"] as const,
      registers,
    }),
    hallucinations: new Counter({
      name: "kubernaut_aianalysis_hallucinations_total",
      help: "Recommendations dropped as hallucinated: an action outside the catalog or an object not in the cluster",
      registers,
    }),
    phaseDuration: new Histogram({
      name: "kubernaut_aianalysis_phase_duration_seconds",
      help: "Time spent in each AIAnalysis phase",
      labelNames: ["phase"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    analyses: new Counter({
      name: "kubernaut_aianalysis_analyses_finished_total",
      help: "AIAnalyses that reached a final phase, by completion status (completed, failed, timeout)",
      labelNames: ["completion_status"] as const,
      registers,
    }),
    storageFailures,
  };
}

/**
 * 1 while the storage service answers the audit publisher, 0 after it has not for the readiness window. It is a
 * metric, not a readiness check: storage being down must not stop reconciling, since audit is buffered.
 */
export function registerStorageReachable(registry: Registry, publisher: Pick<AuditPublisher, "ready">): void {
  new Gauge({
    name: "kubernaut_aianalysis_audit_storage_reachable",
    help: "1 while the Data Storage Service answers audit requests, 0 after it has not for the readiness window",
    registers: [registry],
    collect() {
      this.set(publisher.ready() ? 1 : 0);
    },
  });
}
