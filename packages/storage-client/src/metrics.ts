import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type AuditMetricsPreset = "orchestrator" | "alertprocessor" | "aianalysis";

export type DropReason = "buffer_full" | "rejected" | "dead_letter" | "shutdown";
export const DROP_REASONS: readonly DropReason[] = ["buffer_full", "rejected", "dead_letter", "shutdown"];

/**
 * The publisher's instruments. Counting is per audit record, so `attempts{status}` gives the per-record
 * success rate: a batch of 50 that fails adds 50 to `attempts{status="error"}` and to `failures`.
 * `duration` is per HTTP request. `dropped{reason}` counts records that will never reach the service.
 */
export interface AuditMetrics {
  attempts: Counter<"status">;
  failures: Counter;
  duration: Histogram;
  /** Read at each scrape from the publisher's count (see `trackPending`), not set on every publish. */
  pending: Gauge;
  dropped: Counter<"reason">;
  /** Makes the pending gauge report `count()` at each scrape; returns the function that stops it. */
  trackPending(count: () => number): () => void;
}

interface PresetNames {
  attempts: string;
  failures: string;
  duration: string;
  buckets: number[];
  pending: string;
  dropped: string;
}

/** The names the controllers' seeds give, one set per controller. */
export const AUDIT_METRIC_NAMES: Readonly<Record<AuditMetricsPreset, Readonly<PresetNames>>> = {
  orchestrator: {
    attempts: "kubernaut_orchestrator_audit_publish_attempts_total",
    failures: "kubernaut_orchestrator_audit_publish_failures_total",
    duration: "kubernaut_orchestrator_audit_publish_duration_seconds",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0],
    pending: "kubernaut_orchestrator_pending_audit_records",
    dropped: "kubernaut_orchestrator_audit_records_dropped_total",
  },
  alertprocessor: {
    attempts: "kubernaut_alertprocessor_audit_storage_attempts_total",
    failures: "kubernaut_alertprocessor_audit_storage_failures_total",
    duration: "kubernaut_alertprocessor_audit_storage_duration_seconds",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1.0],
    pending: "kubernaut_alertprocessor_pending_audit_records",
    dropped: "kubernaut_alertprocessor_audit_records_dropped_total",
  },
  aianalysis: {
    attempts: "kubernaut_aianalysis_audit_publish_attempts_total",
    failures: "kubernaut_aianalysis_audit_publish_failures_total",
    duration: "kubernaut_aianalysis_audit_publish_duration_seconds",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0],
    pending: "kubernaut_aianalysis_pending_audit_records",
    dropped: "kubernaut_aianalysis_audit_records_dropped_total",
  },
};

/** Registers one controller's audit metrics in `registry` (never the global one). */
export function auditMetrics(registry: Registry, preset: AuditMetricsPreset): AuditMetrics {
  const names = AUDIT_METRIC_NAMES[preset];
  if (!names) throw new RangeError(`unknown audit metrics preset ${JSON.stringify(preset)}`);
  const registers = [registry];
  const attempts = new Counter({
    name: names.attempts,
    help: "Audit records sent to the Data Storage Service, per attempt, by outcome (success, error)",
    labelNames: ["status"] as const,
    registers,
  });
  const dropped = new Counter({
    name: names.dropped,
    help: "Audit records that will never reach the Data Storage Service, by reason (buffer_full, rejected, dead_letter, shutdown)",
    labelNames: ["reason"] as const,
    registers,
  });
  const pendingCounts = new Set<() => number>();
  for (const status of ["success", "error"]) attempts.inc({ status }, 0);
  for (const reason of DROP_REASONS) dropped.inc({ reason }, 0);
  return {
    attempts,
    dropped,
    failures: new Counter({
      name: names.failures,
      help: "Audit records whose send attempt failed (equals attempts with status=error)",
      registers,
    }),
    duration: new Histogram({
      name: names.duration,
      help: "Duration of one audit batch request to the Data Storage Service",
      buckets: names.buckets,
      registers,
    }),
    pending: new Gauge({
      name: names.pending,
      help: "Audit records waiting to be published (buffered, in flight, or spooled to disk)",
      registers,
      collect() {
        let total = 0;
        for (const count of pendingCounts) total += count();
        this.set(total);
      },
    }),
    trackPending(count) {
      pendingCounts.add(count);
      return () => pendingCounts.delete(count);
    },
  };
}
