import { z } from "zod";
import {
  ClassificationAccuracyRow,
  FailurePhaseRow,
  HallucinationTrendRow,
  InvestigationPerformanceRow,
  OrchestrationDurationRow,
  OrchestrationSuccessRateRow,
  RecommendationEffectivenessRow,
  RetryAnalysisRow,
  SlowEnrichmentRow,
  SlowestOrchestrationRow,
} from "./rows.js";

/** The time window an answer covers. `since: null` means from the beginning (seeds without a window). */
export const AnalyticsWindow = z.object({
  since: z.iso.datetime({ offset: true }).nullable(),
  until: z.iso.datetime({ offset: true }),
});
export type AnalyticsWindow = z.infer<typeof AnalyticsWindow>;

function analyticsResponse<T extends z.ZodType>(row: T) {
  return z.object({ window: AnalyticsWindow, rows: z.array(row) });
}

/** The row contract of each `GET /api/v1/analytics/{name}`. */
export const ANALYTICS_ROWS = {
  "recommendation-effectiveness": RecommendationEffectivenessRow,
  "investigation-performance": InvestigationPerformanceRow,
  "hallucination-trend": HallucinationTrendRow,
  "classification-accuracy": ClassificationAccuracyRow,
  "slow-enrichments": SlowEnrichmentRow,
  "orchestration-success-rate": OrchestrationSuccessRateRow,
  "orchestration-duration": OrchestrationDurationRow,
  "slowest-orchestrations": SlowestOrchestrationRow,
  "failure-phases": FailurePhaseRow,
  "retry-analysis": RetryAnalysisRow,
} as const;

export type AnalyticsName = keyof typeof ANALYTICS_ROWS;
export const ANALYTICS_NAMES = Object.keys(ANALYTICS_ROWS) as AnalyticsName[];

export const RecommendationEffectivenessResponse = analyticsResponse(RecommendationEffectivenessRow);
export type RecommendationEffectivenessResponse = z.infer<typeof RecommendationEffectivenessResponse>;
export const InvestigationPerformanceResponse = analyticsResponse(InvestigationPerformanceRow);
export type InvestigationPerformanceResponse = z.infer<typeof InvestigationPerformanceResponse>;
export const HallucinationTrendResponse = analyticsResponse(HallucinationTrendRow);
export type HallucinationTrendResponse = z.infer<typeof HallucinationTrendResponse>;
export const ClassificationAccuracyResponse = analyticsResponse(ClassificationAccuracyRow);
export type ClassificationAccuracyResponse = z.infer<typeof ClassificationAccuracyResponse>;
export const SlowEnrichmentsResponse = analyticsResponse(SlowEnrichmentRow);
export type SlowEnrichmentsResponse = z.infer<typeof SlowEnrichmentsResponse>;
export const OrchestrationSuccessRateResponse = analyticsResponse(OrchestrationSuccessRateRow);
export type OrchestrationSuccessRateResponse = z.infer<typeof OrchestrationSuccessRateResponse>;
export const OrchestrationDurationResponse = analyticsResponse(OrchestrationDurationRow);
export type OrchestrationDurationResponse = z.infer<typeof OrchestrationDurationResponse>;
export const SlowestOrchestrationsResponse = analyticsResponse(SlowestOrchestrationRow);
export type SlowestOrchestrationsResponse = z.infer<typeof SlowestOrchestrationsResponse>;
export const FailurePhasesResponse = analyticsResponse(FailurePhaseRow);
export type FailurePhasesResponse = z.infer<typeof FailurePhasesResponse>;
export const RetryAnalysisResponse = analyticsResponse(RetryAnalysisRow);
export type RetryAnalysisResponse = z.infer<typeof RetryAnalysisResponse>;

/** The answer of `GET /api/v1/analytics/{name}` for each name. */
export const ANALYTICS_RESPONSES = {
  "recommendation-effectiveness": RecommendationEffectivenessResponse,
  "investigation-performance": InvestigationPerformanceResponse,
  "hallucination-trend": HallucinationTrendResponse,
  "classification-accuracy": ClassificationAccuracyResponse,
  "slow-enrichments": SlowEnrichmentsResponse,
  "orchestration-success-rate": OrchestrationSuccessRateResponse,
  "orchestration-duration": OrchestrationDurationResponse,
  "slowest-orchestrations": SlowestOrchestrationsResponse,
  "failure-phases": FailurePhasesResponse,
  "retry-analysis": RetryAnalysisResponse,
} as const satisfies Record<AnalyticsName, z.ZodType>;
export type AnalyticsResponse<N extends AnalyticsName> = z.infer<(typeof ANALYTICS_RESPONSES)[N]>;

/** Rows per answer: `limit` defaults to 1000 (20 for slowest-orchestrations, as in the seed), at most 10000. */
export const ANALYTICS_LIMIT = { default: 1000, max: 10_000 } as const;
