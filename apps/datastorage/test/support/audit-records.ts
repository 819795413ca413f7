/** Write bodies shaped as the Go controllers marshal them, with what each test does not care about filled in. */

export const ORCHESTRATION = "/api/v1/audit/remediation-orchestration";
export const PROCESSING = "/api/v1/audit/alert-processing";
export const AI_ANALYSIS = "/api/v1/audit/ai-analysis";
export const BATCH = "/api/v1/audit/batch";

/** `base` plus `seconds`, as RFC 3339. */
export function at(base: Date, seconds: number): string {
  return new Date(base.getTime() + seconds * 1000).toISOString();
}

export function orchestration(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    alert_fingerprint: "fp-1",
    remediation_name: "rr-1",
    overall_phase: "processing",
    start_time: "2026-11-20T10:00:00Z",
    ...fields,
  };
}

export function processing(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    remediation_id: "rr-1",
    alert_fingerprint: "fp-1",
    processing_phases: [{ phase: "enriching", start_time: "2026-11-20T10:00:00Z", duration: "1s" }],
    status: "completed",
    environment: "production",
    confidence: 0.9,
    ...fields,
  };
}

export function aiAnalysis(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    trigger: "investigation_complete",
    crd_name: "ai-1",
    crd_namespace: "kubernaut-system",
    remediation_id: "rr-1",
    alert_fingerprint: "fp-1",
    environment: "production",
    severity: "critical",
    ...fields,
  };
}
