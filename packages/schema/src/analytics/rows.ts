import { z } from "zod";
import { ServiceCRDStatuses } from "../remediation-audit/contract.js";

/**
 * One row of each analytics query: the columns of the seed's SQL under the seed's aliases, numbers as JSON
 * numbers (averages of no values are `null`), times as RFC 3339 strings, dates as `YYYY-MM-DD`.
 */
const count = z.int().min(0);
const average = z.number().nullable();
const time = z.iso.datetime({ offset: true });

/** Seed 000, historical success rate by action, plus the observed outcome of the remediations that used it. */
export const RecommendationEffectivenessRow = z.object({
  top_recommendation: z.string().nullable(),
  avg_effectiveness: average,
  avg_historical_success: average,
  total_recommendations: count,
  /** Completed ÷ (completed + failed) remediations whose workflow ran this action; `null` with no outcome yet. */
  success_rate: z.number().min(0).max(1).nullable(),
  /** How many completed or failed remediations `success_rate` is computed from. */
  sample_count: count,
});
export type RecommendationEffectivenessRow = z.infer<typeof RecommendationEffectivenessRow>;

/** Seed 000, investigation performance by environment. */
export const InvestigationPerformanceRow = z.object({
  environment: z.string(),
  avg_duration: average,
  avg_confidence: average,
  total_investigations: count,
});
export type InvestigationPerformanceRow = z.infer<typeof InvestigationPerformanceRow>;

/** Seed 000, hallucination detection trend by day (newest first). */
export const HallucinationTrendRow = z.object({
  date: z.iso.date(),
  hallucinations: count,
  total_analyses: count,
  hallucination_rate: z.number().min(0).max(1),
});
export type HallucinationTrendRow = z.infer<typeof HallucinationTrendRow>;

/** Seed 001, classification accuracy by environment. */
export const ClassificationAccuracyRow = z.object({
  environment: z.string().nullable(),
  avg_confidence: average,
  total_alerts: count,
});
export type ClassificationAccuracyRow = z.infer<typeof ClassificationAccuracyRow>;

/** Seed 001, enrichments slower than the threshold (slowest first). */
export const SlowEnrichmentRow = z.object({
  remediation_id: z.string(),
  alert_fingerprint: z.string(),
  /** The interval as PostgreSQL prints it, e.g. `00:00:02.5`. */
  enrichment_duration: z.string(),
  enrichment_duration_seconds: z.number(),
});
export type SlowEnrichmentRow = z.infer<typeof SlowEnrichmentRow>;

/** Seed 003, orchestration success rate by overall phase. */
export const OrchestrationSuccessRateRow = z.object({
  overall_phase: z.string(),
  total: count,
  successful: count,
  failed: count,
  success_rate_pct: z.number(),
});
export type OrchestrationSuccessRateRow = z.infer<typeof OrchestrationSuccessRateRow>;

/** Seed 003, orchestration duration (seconds) by overall phase: mean, median and 95th percentile. */
export const OrchestrationDurationRow = z.object({
  overall_phase: z.string(),
  total_remediations: count,
  avg_duration_seconds: average,
  p50_duration: average,
  p95_duration: average,
});
export type OrchestrationDurationRow = z.infer<typeof OrchestrationDurationRow>;

/** Seed 003, slowest orchestrations (slowest first). */
export const SlowestOrchestrationRow = z.object({
  remediation_name: z.string(),
  alert_fingerprint: z.string(),
  overall_phase: z.string(),
  start_time: time,
  completion_time: time,
  duration_seconds: z.number(),
  service_crd_statuses: ServiceCRDStatuses.nullable(),
});
export type SlowestOrchestrationRow = z.infer<typeof SlowestOrchestrationRow>;

/** Seed 003, most common failure phases. */
export const FailurePhaseRow = z.object({
  failure_phase: z.string(),
  failure_count: count,
  unique_alerts_affected: count,
  /** Distinct failure reasons cut to 100 characters (`null` for a failure without a reason). */
  sample_reasons: z.array(z.string().nullable()),
});
export type FailurePhaseRow = z.infer<typeof FailurePhaseRow>;

/** Seed 003, alerts remediated more than once, and whether any attempt completed. */
export const RetryAnalysisRow = z.object({
  alert_fingerprint: z.string(),
  retry_count: count,
  last_attempt: time,
  phase_progression: z.array(z.string()),
  eventually_successful: z.boolean(),
});
export type RetryAnalysisRow = z.infer<typeof RetryAnalysisRow>;
