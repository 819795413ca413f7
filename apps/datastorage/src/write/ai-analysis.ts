import {
  type AIAnalysisAuditEvent,
  aiAnalysisAudit,
  aiAnalysisAuditKeys,
  type Recommendation,
} from "@kubernaut/schema";
import { type ProjectionValues, projectionSpecOf } from "./projection.js";
import { millisBetween, wireTime } from "./times.js";

/**
 * `ai_analysis_audit`: one row per AIAnalysis, keyed by `crd_namespace`/`crd_name` (led by its alert's
 * fingerprint), merged across triggers.
 */
export const AI_ANALYSIS_AUDIT = projectionSpecOf(aiAnalysisAudit, aiAnalysisAuditKeys, [
  "alert_fingerprint",
  "crd_namespace",
  "crd_name",
]);

/**
 * The `ai_analysis_audit` columns one trigger knows. What the trigger implies is filled in when not sent:
 * `workflow_created` means completed and `analysis_failed` failed; the top recommendation and its
 * probabilities come from the best-ranked recommendation; durations from start and end.
 */
export function aiAnalysisAuditValues(event: AIAnalysisAuditEvent): ProjectionValues<typeof aiAnalysisAudit> {
  const recommendations = event.recommendations?.length ? rankOrder(event.recommendations) : null;
  const top = recommendations?.[0];
  const investigationStart = wireTime(event.investigation_start);
  const investigationEnd = wireTime(event.investigation_end);
  const analysisStart = wireTime(event.analysis_start);
  const analysisEnd = wireTime(event.analysis_end);
  return {
    crd_namespace: event.crd_namespace,
    crd_name: event.crd_name,
    alert_fingerprint: event.alert_fingerprint,
    environment: event.environment,
    severity: event.severity,
    investigation_start: investigationStart,
    investigation_end: investigationEnd,
    investigation_duration_ms:
      event.investigation_duration_ms ?? millisBetween(investigationStart, investigationEnd),
    root_cause_count: event.root_cause_count ?? null,
    investigation_report: event.investigation_report ?? null,
    analysis_start: analysisStart,
    analysis_end: analysisEnd,
    analysis_duration_ms: event.analysis_duration_ms ?? millisBetween(analysisStart, analysisEnd),
    confidence_score: event.confidence_score ?? null,
    hallucination_detected: event.hallucination_detected ?? null,
    recommendation_start: wireTime(event.recommendation_start),
    recommendation_end: wireTime(event.recommendation_end),
    recommendations,
    top_recommendation: event.top_recommendation ?? top?.action ?? null,
    effectiveness_probability: event.effectiveness_probability ?? top?.effectivenessProbability ?? null,
    historical_success_rate: event.historical_success_rate ?? top?.historicalSuccessRate ?? null,
    workflow_crd_name: event.workflow_crd_name || null,
    workflow_crd_namespace: event.workflow_crd_namespace || null,
    completion_status: event.completion_status ?? impliedCompletionStatus(event.trigger),
    failure_reason: event.failure_reason || null,
    remediation_id: event.remediation_id || null,
  };
}

function impliedCompletionStatus(trigger: AIAnalysisAuditEvent["trigger"]): string | null {
  if (trigger === "workflow_created") return "completed";
  if (trigger === "analysis_failed") return "failed";
  return null;
}

/** Best rank first; unranked ones keep their order after the ranked ones. */
function rankOrder(recommendations: Recommendation[]): Recommendation[] {
  return recommendations
    .map((r, index) => ({ r, index }))
    .sort((a, b) => (a.r.rank ?? Infinity) - (b.r.rank ?? Infinity) || a.index - b.index)
    .map(({ r }) => r);
}
