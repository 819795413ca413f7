import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { classificationAccuracy } from "./classification-accuracy.js";
import { registerAnalyticsRoute } from "./define.js";
import { failurePhases } from "./failure-phases.js";
import { hallucinationTrend } from "./hallucination-trend.js";
import { investigationPerformance } from "./investigation-performance.js";
import { orchestrationDuration } from "./orchestration-duration.js";
import { orchestrationSuccessRate } from "./orchestration-success-rate.js";
import { recommendationEffectiveness } from "./recommendation-effectiveness.js";
import { retryAnalysis } from "./retry-analysis.js";
import { slowEnrichments } from "./slow-enrichments.js";
import { slowestOrchestrations } from "./slowest-orchestrations.js";

/** Every analytics query of the seeds, in the order of the API reference. */
export const ANALYTICS_DEFINITIONS = [
  recommendationEffectiveness,
  investigationPerformance,
  hallucinationTrend,
  classificationAccuracy,
  slowEnrichments,
  orchestrationSuccessRate,
  orchestrationDuration,
  slowestOrchestrations,
  failurePhases,
  retryAnalysis,
];

/** `GET /api/v1/analytics/{name}`: one endpoint per analytics query of the seeds. */
export function registerAnalyticsRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const definition of ANALYTICS_DEFINITIONS) registerAnalyticsRoute(app, definition);
}
