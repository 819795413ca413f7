import { type AuditMetrics, type AuditPublisher, auditMetrics } from "@kubernaut/storage-client";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type ErrorType = "audit_storage_failed" | "enrichment_source_failed" | "processing_failed";

/** The processor's instruments; the audit publisher's are the storage client's `alertprocessor` preset. */
export interface ProcessorMetrics {
  audit: AuditMetrics;
  errors: Counter<"error_type" | "phase">;
  processings: Counter<"status" | "environment">;
  phaseDuration: Histogram<"phase">;
  contextQuality: Histogram;
}

export function processorMetrics(registry: Registry): ProcessorMetrics {
  const registers = [registry];
  const audit = auditMetrics(registry, "alertprocessor");
  const mirrored = { error_type: "audit_storage_failed", phase: "routing" };
  let mirroredCount = 0;
  const errors = new Counter({
    name: "kubernaut_alertprocessor_errors_total",
    help: "Errors by type and phase; audit_storage_failed/routing counts audit records the storage service will never get",
    labelNames: ["error_type", "phase"] as const,
    registers,
    // Audit records are dropped inside the publisher (rejected, buffer full, lost at shutdown); its
    // dropped counter is the one place that sees them all, so this mirrors it at each scrape.
    async collect() {
      const dropped = (await audit.dropped.get()).values.reduce((sum, v) => sum + v.value, 0);
      if (dropped > mirroredCount) this.inc(mirrored, dropped - mirroredCount);
      mirroredCount = dropped;
    },
  });
  errors.inc(mirrored, 0);
  return {
    audit,
    errors,
    processings: new Counter({
      name: "kubernaut_alertprocessor_processings_total",
      help: "RemediationProcessings finished, by status (completed, failed) and environment",
      labelNames: ["status", "environment"] as const,
      registers,
    }),
    phaseDuration: new Histogram({
      name: "kubernaut_alertprocessor_phase_duration_seconds",
      help: "Time from entering a phase to leaving it (enriching, classifying, routing)",
      labelNames: ["phase"] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    contextQuality: new Histogram({
      name: "kubernaut_alertprocessor_context_quality",
      help: "Share of the asked context sources that answered, per enrichment",
      buckets: [0, 0.25, 0.5, 0.75, 1],
      registers,
    }),
  };
}

/** 1 while the storage service answers the publisher, 0 after it has not for the readiness window. */
export function registerStorageReachable(registry: Registry, publisher: AuditPublisher): void {
  new Gauge({
    name: "kubernaut_alertprocessor_audit_storage_reachable",
    help: "1 while the Data Storage Service answers audit requests, 0 after it has not for the readiness window",
    registers: [registry],
    collect() {
      this.set(publisher.ready() ? 1 : 0);
    },
  });
}
