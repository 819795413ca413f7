import type { AuditRecordInput } from "../../src/index.js";

type OfKind<K extends AuditRecordInput["kind"]> = Extract<AuditRecordInput, { kind: K }>;

export function orchestrationRecord(n: number, phase = "processing"): OfKind<"remediation-orchestration"> {
  return {
    kind: "remediation-orchestration",
    alert_fingerprint: `fp-${n}`,
    remediation_name: `rr-${n}`,
    overall_phase: phase,
    start_time: "2026-11-23T10:00:00.123456789Z",
  };
}

export function processingRecord(n: number): OfKind<"alert-processing"> {
  return {
    kind: "alert-processing",
    remediation_id: `rr-${n}`,
    alert_fingerprint: `fp-${n}`,
    processing_phases: [
      {
        phase: "enriching",
        start_time: "2026-11-23T10:00:00Z",
        end_time: "2026-11-23T10:00:02.5Z",
        duration: 2_500_000_000,
      },
    ],
    status: "completed",
  };
}

export function aiAnalysisRecord(n: number): OfKind<"ai-analysis"> {
  return {
    kind: "ai-analysis",
    trigger: "investigation_complete",
    crd_name: `ai-${n}`,
    crd_namespace: "kubernaut-system",
    alert_fingerprint: `fp-${n}`,
    environment: "production",
    severity: "critical",
    root_cause_count: 2,
  };
}
