import { z } from "zod";
import { eventEnvelope } from "../wire/envelope.js";
import { goTimeOptional } from "../wire/go.js";
import { checkStorableJson, int4, storableText } from "../wire/storable.js";

/** The five trigger points of seed 000 at which the AI analysis controller publishes. */
export const AIAnalysisTrigger = z.enum([
  "investigation_complete",
  "analysis_complete",
  "recommendations_generated",
  "workflow_created",
  "analysis_failed",
]);
export type AIAnalysisTrigger = z.infer<typeof AIAnalysisTrigger>;

const probability = z.number().min(0).max(1);

/**
 * One ranked recommendation, as the AIAnalysis status marshals it (camelCase; extra fields kept, as long as they
 * are storable JSON: see `checkStorableJson`).
 */
export const Recommendation = z
  .looseObject({
    action: storableText().min(1).max(255),
    description: storableText().optional(),
    effectivenessProbability: probability.optional(),
    historicalSuccessRate: probability.optional(),
    rank: int4().min(1).optional(),
  })
  .superRefine((recommendation, ctx) => checkStorableJson(recommendation, ctx));
export type Recommendation = z.infer<typeof Recommendation>;

/**
 * One trigger point of an AIAnalysis. The identity fields are required on every trigger; each other column of
 * `ai_analysis_audit` is sent by the trigger that knows it and merged into the AIAnalysis's one row.
 */
export const aiAnalysisAuditEventShape = {
  ...eventEnvelope,
  trigger: AIAnalysisTrigger,
  remediation_id: storableText().max(255).nullish(),

  crd_name: storableText().min(1, { error: "must not be empty" }).max(255),
  crd_namespace: storableText().min(1, { error: "must not be empty" }).max(255),
  alert_fingerprint: storableText().min(1, { error: "must not be empty" }).max(64),
  environment: storableText().max(50),
  severity: storableText().max(20),

  investigation_start: goTimeOptional,
  investigation_end: goTimeOptional,
  investigation_duration_ms: z.int().min(0).nullish(),
  root_cause_count: int4().min(0).nullish(),
  investigation_report: storableText().nullish(),

  analysis_start: goTimeOptional,
  analysis_end: goTimeOptional,
  analysis_duration_ms: z.int().min(0).nullish(),
  confidence_score: probability.nullish(),
  hallucination_detected: z.boolean().nullish(),

  recommendation_start: goTimeOptional,
  recommendation_end: goTimeOptional,
  recommendations: z.array(Recommendation).nullish(),
  top_recommendation: storableText().max(255).nullish(),
  effectiveness_probability: probability.nullish(),
  historical_success_rate: probability.nullish(),

  workflow_crd_name: storableText().max(255).nullish(),
  workflow_crd_namespace: storableText().max(255).nullish(),

  completion_status: z.enum(["completed", "failed", "timeout"]).nullish(),
  failure_reason: storableText().nullish(),
};

type AIAnalysisAuditEventFields = z.infer<z.ZodObject<typeof aiAnalysisAuditEventShape>>;

/** What each trigger must carry to be meaningful. */
export function checkAIAnalysisTrigger(event: AIAnalysisAuditEventFields, ctx: z.RefinementCtx): void {
  const require = (field: keyof AIAnalysisAuditEventFields, why: string) => {
    const value = event[field];
    if (value == null || value === "" || (Array.isArray(value) && value.length === 0)) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `required when trigger is ${event.trigger}: ${why}`,
      });
    }
  };
  switch (event.trigger) {
    case "recommendations_generated":
      require("recommendations", "the ranked recommendations");
      break;
    case "workflow_created":
      require("workflow_crd_name", "the WorkflowExecution created for the top recommendation");
      break;
    case "analysis_failed":
      require("failure_reason", "why the analysis failed");
      break;
    default:
      break;
  }
}

export const AIAnalysisAuditEvent = z
  .strictObject(aiAnalysisAuditEventShape)
  .superRefine(checkAIAnalysisTrigger);
export type AIAnalysisAuditEvent = z.infer<typeof AIAnalysisAuditEvent>;
