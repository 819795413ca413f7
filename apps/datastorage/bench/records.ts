import { randomUUID } from "node:crypto";
import { AuditRecord } from "@kubernaut/schema";

/** Pads a text field so the record's JSON is about `bytes` long (the benchmark's ~2 KB records). */
function padTo<T extends Record<string, unknown>>(record: T, field: keyof T, bytes: number): T {
  const size = Buffer.byteLength(JSON.stringify(record));
  const current = String(record[field] ?? "");
  return { ...record, [field]: current + " ".padEnd(Math.max(0, bytes - size), "x") };
}

const base = new Date("2026-11-23T08:00:00Z").getTime();
const at = (ms: number) => new Date(base + ms).toISOString();

/**
 * The `i`-th record of a realistic mix: orchestrator phase changes (half), processor audits and AI
 * triggers (a quarter each), each about 2 KB of JSON. Keys repeat across batches (a remediation changes
 * phase), never inside one batch of `batchSize`.
 */
export function benchRecord(i: number, batchSize: number, bytes = 2048): AuditRecord {
  return AuditRecord.parse(rawRecord(i, batchSize, bytes));
}

function rawRecord(i: number, batchSize: number, bytes: number): Record<string, unknown> {
  const batch = Math.floor(i / batchSize);
  const slot = i % batchSize;
  // Each remediation is written by two consecutive batches: its first phases, then completion.
  const remediation = `rr-bench-${Math.floor(batch / 2)}-${slot}`;
  const fingerprint = `fp-bench-${slot % 97}`;
  const occurred_at = at(i * 10);
  const event_id = randomUUID();
  switch (slot % 4) {
    case 0:
    case 1:
      return padTo(
        {
          kind: "remediation-orchestration",
          event_id,
          occurred_at,
          alert_fingerprint: fingerprint,
          remediation_name: remediation,
          overall_phase: batch % 2 === 0 ? "executing" : "completed",
          start_time: at(i * 10 - 60_000),
          ...(batch % 2 === 1 ? { completion_time: occurred_at } : {}),
          remediation_processing_name: `${remediation}-processing`,
          ai_analysis_name: `${remediation}-analysis`,
          workflow_execution_name: `${remediation}-workflow`,
          service_crd_statuses: {
            remediationProcessing: { phase: "completed", startTime: at(i * 10 - 59_000), success: true },
            aiAnalysis: { phase: "completed", startTime: at(i * 10 - 50_000), success: true },
            workflowExecution: { phase: "running", startTime: at(i * 10 - 30_000), success: false },
          },
          failure_reason: "",
        },
        "failure_reason",
        bytes,
      );
    case 2:
      return padTo(
        {
          kind: "alert-processing",
          event_id,
          occurred_at,
          remediation_id: remediation,
          alert_fingerprint: fingerprint,
          processing_phases: [
            {
              phase: "enriching",
              start_time: at(i * 10 - 59_000),
              end_time: at(i * 10 - 56_500),
              duration: 2_500_000_000,
              enrichmentResults: {
                contextQuality: 0.8,
                contextSizeBytes: 4096,
                contextSources: 4,
                degradedMode: false,
              },
            },
            {
              phase: "classifying",
              start_time: at(i * 10 - 56_500),
              end_time: at(i * 10 - 56_400),
              duration: "100ms",
              classificationResults: {
                environment: "production",
                confidence: 0.95,
                businessPriority: "P1",
                classificationMethod: "namespace-label",
              },
            },
          ],
          enrichment_quality: 0.8,
          enrichment_sources: ["namespace", "workload", "pods", "events"],
          context_size_bytes: 4096,
          environment: "production",
          confidence: 0.95,
          business_priority: "P1",
          routed_to_service: "ai-analysis",
          routing_priority: 1,
          completed_at: occurred_at,
          status: batch % 2 === 0 ? "routing" : "completed",
          error_message: "",
        },
        "error_message",
        bytes,
      );
    default:
      return padTo(
        {
          kind: "ai-analysis",
          event_id,
          occurred_at,
          trigger: batch % 2 === 0 ? "recommendations_generated" : "workflow_created",
          remediation_id: remediation,
          crd_name: `${remediation}-analysis`,
          crd_namespace: "kubernaut-system",
          alert_fingerprint: fingerprint,
          environment: "production",
          severity: "critical",
          recommendations: [
            { action: "restart-pod", rank: 1, effectivenessProbability: 0.9, historicalSuccessRate: 0.85 },
            { action: "increase-memory-limit", rank: 2, effectivenessProbability: 0.7 },
          ],
          workflow_crd_name: `${remediation}-workflow`,
          investigation_report: "",
        },
        "investigation_report",
        bytes,
      );
  }
}
