import type { AIAnalysis } from "@kubernaut/crds";
import { type AIAnalysisTrigger, deterministicEventId } from "@kubernaut/schema/contracts";
import type { AuditRecordInput } from "@kubernaut/storage-client";

/** One `ai-analysis` record for the publisher's batch endpoint. */
export type AIAnalysisAuditRecord = Extract<AuditRecordInput, { kind: "ai-analysis" }>;

export type CompletionStatus = "completed" | "failed" | "timeout";

function millisBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  return Math.max(0, Date.parse(end) - Date.parse(start));
}

/** The fields every trigger carries: identity, correlation, a deterministic event id and the time. */
function identity(
  analysis: AIAnalysis,
  trigger: AIAnalysisTrigger,
  occurredAt: string,
): AIAnalysisAuditRecord {
  const { alertContext } = analysis.spec.analysisRequest;
  const name = analysis.metadata.name ?? "";
  const namespace = analysis.metadata.namespace ?? "";
  return {
    kind: "ai-analysis",
    event_id: deterministicEventId(`${analysis.metadata.uid ?? `${namespace}/${name}`}/${trigger}`),
    occurred_at: occurredAt,
    trigger,
    crd_name: name,
    crd_namespace: namespace,
    alert_fingerprint: alertContext.fingerprint,
    environment: alertContext.environment,
    severity: alertContext.severity,
    remediation_id: analysis.spec.remediationRequestRef.name,
  };
}

/** Trigger 1: the investigation finished; its window runs from entering `investigating` to `analyzing`. */
export function investigationCompleteEvent(analysis: AIAnalysis): AIAnalysisAuditRecord {
  const status = analysis.status ?? {};
  const start = status.phaseTransitions?.investigating;
  const end = status.phaseTransitions?.analyzing;
  return {
    ...identity(analysis, "investigation_complete", end ?? new Date().toISOString()),
    investigation_start: start,
    investigation_end: end,
    investigation_duration_ms: millisBetween(start, end),
    root_cause_count: status.investigationResult?.rootCauseHypotheses.length ?? 0,
    investigation_report: status.investigationResult?.investigationReport,
  };
}

/** Trigger 2: recommendations were checked against the cluster and the catalog, and a confidence set. */
export function analysisCompleteEvent(analysis: AIAnalysis): AIAnalysisAuditRecord {
  const status = analysis.status ?? {};
  const start = status.phaseTransitions?.analyzing;
  const end = status.phaseTransitions?.recommending;
  return {
    ...identity(analysis, "analysis_complete", end ?? new Date().toISOString()),
    analysis_start: start,
    analysis_end: end,
    analysis_duration_ms: millisBetween(start, end),
    confidence_score: status.confidenceScore,
    hallucination_detected: status.hallucinationDetected ?? false,
  };
}

/** Trigger 3: the valid recommendations, ranked with their historical success rates. */
export function recommendationsGeneratedEvent(analysis: AIAnalysis): AIAnalysisAuditRecord {
  const status = analysis.status ?? {};
  const start = status.phaseTransitions?.recommending;
  const end = status.phaseTransitions?.completed;
  const recommendations = status.recommendations ?? [];
  const top = recommendations[0];
  return {
    ...identity(analysis, "recommendations_generated", end ?? new Date().toISOString()),
    recommendation_start: start,
    recommendation_end: end,
    recommendations,
    top_recommendation: top?.action,
    effectiveness_probability: top?.effectivenessProbability,
    historical_success_rate: top?.historicalSuccessRate,
  };
}

/** Trigger 4: the WorkflowExecution for the top recommendation exists; the analysis is complete. */
export function workflowCreatedEvent(analysis: AIAnalysis): AIAnalysisAuditRecord {
  const status = analysis.status ?? {};
  return {
    ...identity(analysis, "workflow_created", status.completedAt ?? new Date().toISOString()),
    workflow_crd_name: status.workflowExecutionRef?.name,
    workflow_crd_namespace: status.workflowExecutionRef?.namespace,
    top_recommendation: status.recommendations?.[0]?.action,
    completion_status: "completed",
  };
}

/**
 * Trigger 5: the analysis failed. It also carries what the failed phase had learnt, so the investigation
 * performance and hallucination queries count failed analyses too.
 */
export function analysisFailedEvent(
  analysis: AIAnalysis,
  completionStatus: CompletionStatus,
): AIAnalysisAuditRecord {
  const status = analysis.status ?? {};
  const failedAt = status.phaseTransitions?.failed ?? new Date().toISOString();
  const record: AIAnalysisAuditRecord = {
    ...identity(analysis, "analysis_failed", failedAt),
    completion_status: completionStatus,
    failure_reason: status.failureReason ?? "unknown",
  };
  if (status.failedPhase === "investigating") {
    const start = status.phaseTransitions?.investigating;
    Object.assign(record, {
      investigation_start: start,
      investigation_end: failedAt,
      investigation_duration_ms: millisBetween(start, failedAt),
    });
  }
  if (status.failedPhase === "analyzing") {
    const start = status.phaseTransitions?.analyzing;
    Object.assign(record, {
      analysis_start: start,
      analysis_end: failedAt,
      analysis_duration_ms: millisBetween(start, failedAt),
      confidence_score: status.confidenceScore,
      hallucination_detected: status.hallucinationDetected,
    });
  }
  return record;
}

/**
 * Every record the analysis's status implies, in trigger order: investigation complete once it reached
 * `analyzing`, analysis complete once it reached `recommending`, then the final ones. What a process that
 * never saw the analysis before publishes again, in case the one that wrote the status died before they
 * reached storage; each carries the same event id and times as the first copy.
 */
export function impliedAuditRecords(analysis: AIAnalysis): AIAnalysisAuditRecord[] {
  const status = analysis.status ?? {};
  const reached = status.phaseTransitions ?? {};
  const records: AIAnalysisAuditRecord[] = [];
  if (reached.analyzing && status.investigationResult) records.push(investigationCompleteEvent(analysis));
  if (reached.recommending) records.push(analysisCompleteEvent(analysis));
  if (status.phase === "completed") {
    records.push(recommendationsGeneratedEvent(analysis), workflowCreatedEvent(analysis));
  }
  if (status.phase === "failed") {
    records.push(analysisFailedEvent(analysis, status.completionStatus === "timeout" ? "timeout" : "failed"));
  }
  return records;
}
