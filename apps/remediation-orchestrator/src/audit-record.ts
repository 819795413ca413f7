import type { RemediationRequest } from "@kubernaut/crds";
import type { RemediationOrchestrationAudit } from "@kubernaut/schema/contracts";
import type { z } from "zod";
import { isTerminal } from "./lifecycle.js";
import { type Children, collectCRDStatuses } from "./snapshots.js";

export type RemediationOrchestrationAuditInput = z.input<typeof RemediationOrchestrationAudit>;

/**
 * Seed 003's `RemediationOrchestrationAudit` of the remediation as its status stands: phase, children and
 * their status snapshots, failure, timeout, duplicates and retention. `completion_time` only once terminal.
 */
export function buildOrchestrationAudit(
  rr: RemediationRequest,
  children: Children,
  options: { eventId: string; now: Date; deletedAt?: string },
): RemediationOrchestrationAuditInput {
  const status = rr.status ?? {};
  const startTime = status.startTime ?? rr.metadata.creationTimestamp ?? options.now.toISOString();
  const record: RemediationOrchestrationAuditInput = {
    event_id: options.eventId,
    occurred_at: options.now.toISOString(),
    alert_fingerprint: rr.spec.signalFingerprint,
    remediation_name: rr.metadata.name ?? "",
    overall_phase: status.phase ?? "pending",
    start_time: startTime,
    service_crd_statuses: collectCRDStatuses(children),
    duplicate_count: status.duplicateCount ?? 0,
    signal_name: rr.spec.signalName,
  };
  if (rr.spec.targetResource.namespace) record.target_namespace = rr.spec.targetResource.namespace;
  if (status.remediationProcessingRef)
    record.remediation_processing_name = status.remediationProcessingRef.name;
  if (status.aiAnalysisRef) record.ai_analysis_name = status.aiAnalysisRef.name;
  if (status.workflowExecutionRef) record.workflow_execution_name = status.workflowExecutionRef.name;
  if (isTerminal(status.phase) && status.completedAt) record.completion_time = status.completedAt;
  if (status.phase === "failed") {
    record.failure_phase = status.failedPhase ?? null;
    record.failure_reason = status.errorMessage ?? null;
  }
  if (status.timeoutPhase) record.timeout_phase = status.timeoutPhase;
  if (status.timeoutTime) record.timeout_time = status.timeoutTime;
  if (status.lastDuplicateTime) record.last_duplicate_time = status.lastDuplicateTime;
  if (status.retentionExpiryTime) record.retention_expiry_time = status.retentionExpiryTime;
  if (options.deletedAt) record.deleted_at = options.deletedAt;
  return record;
}
