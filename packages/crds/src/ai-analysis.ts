import { z } from "zod";
import {
  conditionSchema,
  objectReferenceSchema,
  phaseTransitionsSchema,
  rfc3339Schema,
  severitySchema,
  stringMapSchema,
  targetResourceSchema,
} from "./common.js";
import {
  ageColumn,
  type CustomResourceDefinitionSource,
  customResourceKind,
  customResourceSchema,
  phaseColumn,
} from "./resource.js";

export const aiAnalysisKind = customResourceKind("AIAnalysis", {
  plural: "aianalyses",
  singular: "aianalysis",
  shortNames: ["aia"],
});

export const aiAnalysisPhases = [
  "investigating",
  "analyzing",
  "recommending",
  "completed",
  "failed",
] as const;
export const aiAnalysisPhaseSchema = z.enum(aiAnalysisPhases);
export type AIAnalysisPhase = z.infer<typeof aiAnalysisPhaseSchema>;

const probabilitySchema = z.number().min(0).max(1);

export const alertContextSchema = z.object({
  fingerprint: z.string().min(1).max(64),
  environment: z.string().min(1),
  severity: severitySchema,
  signalName: z.string().min(1),
  namespace: z.string().min(1).optional(),
  targetResource: targetResourceSchema,
  businessPriority: z.string().optional(),
  labels: stringMapSchema.optional(),
  annotations: stringMapSchema.optional(),
  enrichmentSummary: z
    .object({
      enrichmentQuality: probabilitySchema.optional(),
      contextSizeBytes: z.int().min(0).optional(),
      namespaceLabels: stringMapSchema.optional(),
      summary: z.string().optional(),
    })
    .optional(),
});
export type AlertContext = z.infer<typeof alertContextSchema>;

export const aiAnalysisSpecSchema = z.object({
  remediationRequestRef: objectReferenceSchema,
  analysisRequest: z.object({ alertContext: alertContextSchema }),
});
export type AIAnalysisSpec = z.infer<typeof aiAnalysisSpecSchema>;

export const rootCauseHypothesisSchema = z.object({
  hypothesis: z.string().min(1),
  confidence: probabilitySchema,
  evidence: z.array(z.string()).optional(),
});
export type RootCauseHypothesis = z.infer<typeof rootCauseHypothesisSchema>;

export const investigationResultSchema = z.object({
  rootCauseHypotheses: z.array(rootCauseHypothesisSchema),
  investigationReport: z.string(),
  provider: z.string().min(1).describe("investigator that produced the result, e.g. rule-based, holmesgpt"),
});
export type InvestigationResult = z.infer<typeof investigationResultSchema>;

export const recommendationSchema = z.object({
  action: z.string().min(1).describe("remediation action, e.g. restart-pod, scale-deployment"),
  description: z.string().optional(),
  targetResource: targetResourceSchema.optional(),
  parameters: stringMapSchema.optional(),
  effectivenessProbability: probabilitySchema,
  historicalSuccessRate: probabilitySchema.optional().describe("absent when the action has no history yet"),
  rank: z.int().min(1),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const aiAnalysisStatusSchema = z.object({
  phase: aiAnalysisPhaseSchema.optional(),
  phaseTransitions: phaseTransitionsSchema(aiAnalysisPhases).optional(),
  investigationResult: investigationResultSchema.optional(),
  confidenceScore: probabilitySchema.optional(),
  hallucinationDetected: z.boolean().optional(),
  recommendations: z.array(recommendationSchema).optional().describe("ordered by rank, best first"),
  workflowExecutionRef: objectReferenceSchema.optional(),
  completedAt: rfc3339Schema.optional(),
  failedPhase: z.enum(["investigating", "analyzing", "recommending"]).optional(),
  failureReason: z.string().optional(),
  completionStatus: z
    .enum(["completed", "failed", "timeout"])
    .optional()
    .describe("how the analysis ended; timeout when the investigator never answered in time"),
  investigationAttempts: z
    .int()
    .min(0)
    .optional()
    .describe("failed investigation attempts so far; the analysis fails when they run out"),
  nextInvestigationTime: rfc3339Schema
    .optional()
    .describe("when the next investigation attempt is due, after a failed one"),
  conditions: z.array(conditionSchema).optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type AIAnalysisStatus = z.infer<typeof aiAnalysisStatusSchema>;

export const aiAnalysisSchema = customResourceSchema(
  aiAnalysisKind,
  aiAnalysisSpecSchema,
  aiAnalysisStatusSchema,
);
export type AIAnalysis = z.infer<typeof aiAnalysisSchema>;

export const aiAnalysisDefinition: CustomResourceDefinitionSource = {
  kind: aiAnalysisKind,
  spec: aiAnalysisSpecSchema,
  status: aiAnalysisStatusSchema,
  description: "AI investigation of one signal: root cause hypotheses and ranked recommendations.",
  printerColumns: [
    phaseColumn,
    { name: "Confidence", type: "number", jsonPath: ".status.confidenceScore" },
    { name: "Top Action", type: "string", jsonPath: ".status.recommendations[0].action" },
    { name: "Workflow", type: "string", jsonPath: ".status.workflowExecutionRef.name", priority: 1 },
    ageColumn,
  ],
};
