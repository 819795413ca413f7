import {
  type CRDStatusSnapshot,
  emptyToNull,
  isGoZeroTime,
  type RemediationOrchestrationAudit,
  remediationAudit,
  remediationAuditKeys,
  type ServiceCRDStatuses,
} from "@kubernaut/schema";
import { type ProjectionValues, projectionSpecOf } from "./projection.js";
import { wireTime } from "./times.js";

/** `remediation_audit`: one row per remediation, keyed by `remediation_name` (led by its alert's fingerprint). */
export const REMEDIATION_AUDIT = projectionSpecOf(
  remediationAudit,
  remediationAuditKeys,
  ["alert_fingerprint", "remediation_name"],
  {
    duplicate_count: { insert: "COALESCE($, 0)" },
  },
);

/**
 * The `remediation_audit` columns of one orchestrator record. `remediation_processing_name` (what the Go
 * struct sends) and `alert_processing_name` (the column's name) are one field; "" and Go's zero time are NULL.
 */
export function remediationAuditValues(
  record: RemediationOrchestrationAudit,
): ProjectionValues<typeof remediationAudit> {
  return {
    remediation_name: record.remediation_name,
    alert_fingerprint: record.alert_fingerprint,
    overall_phase: record.overall_phase,
    start_time: wireTime(record.start_time),
    completion_time: wireTime(record.completion_time),
    alert_processing_name:
      emptyToNull(record.alert_processing_name) ?? emptyToNull(record.remediation_processing_name),
    ai_analysis_name: emptyToNull(record.ai_analysis_name),
    workflow_execution_name: emptyToNull(record.workflow_execution_name),
    kubernetes_execution_name: emptyToNull(record.kubernetes_execution_name),
    service_crd_statuses: record.service_crd_statuses ? snapshots(record.service_crd_statuses) : null,
    timeout_phase: emptyToNull(record.timeout_phase),
    timeout_time: wireTime(record.timeout_time),
    failure_phase: emptyToNull(record.failure_phase),
    failure_reason: emptyToNull(record.failure_reason),
    duplicate_count: record.duplicate_count ?? null,
    last_duplicate_time: wireTime(record.last_duplicate_time),
    retention_expiry_time: wireTime(record.retention_expiry_time),
    deleted_at: wireTime(record.deleted_at),
  };
}

/** Child snapshots with Go's zero times as null, so JSONB queries see "unset" one way only. */
function snapshots(statuses: ServiceCRDStatuses): ServiceCRDStatuses {
  const clean = (s: CRDStatusSnapshot | null | undefined) =>
    s
      ? {
          ...s,
          startTime: s.startTime && !isGoZeroTime(s.startTime) ? s.startTime : null,
          completionTime: s.completionTime && !isGoZeroTime(s.completionTime) ? s.completionTime : null,
        }
      : s;
  return {
    ...(statuses.remediationProcessing !== undefined
      ? { remediationProcessing: clean(statuses.remediationProcessing) }
      : {}),
    ...(statuses.aiAnalysis !== undefined ? { aiAnalysis: clean(statuses.aiAnalysis) } : {}),
    ...(statuses.workflowExecution !== undefined
      ? { workflowExecution: clean(statuses.workflowExecution) }
      : {}),
  };
}
