import { z } from "zod";
import {
  conditionSchema,
  goDurationSchema,
  objectReferenceSchema,
  phaseTransitionsSchema,
  rfc3339Schema,
  severitySchema,
  stringMapSchema,
  targetResourceSchema,
  targetScopeSchema,
} from "./common.js";
import {
  ageColumn,
  type CustomResourceDefinitionSource,
  customResourceKind,
  customResourceSchema,
  phaseColumn,
} from "./resource.js";

export const remediationProcessingKind = customResourceKind("RemediationProcessing", {
  plural: "remediationprocessings",
  singular: "remediationprocessing",
  shortNames: ["rp"],
});

export const remediationProcessingPhases = [
  "enriching",
  "classifying",
  "routing",
  "completed",
  "failed",
] as const;
export const remediationProcessingPhaseSchema = z.enum(remediationProcessingPhases);
export type RemediationProcessingPhase = z.infer<typeof remediationProcessingPhaseSchema>;

export const signalSchema = z.object({
  fingerprint: z.string().min(1).max(64),
  name: z.string().min(1),
  severity: severitySchema,
  namespace: z.string().min(1).optional(),
  environment: z.string().min(1).optional().describe("environment hint carried over from the request"),
  labels: stringMapSchema.optional(),
  annotations: stringMapSchema.optional(),
  targetResource: targetResourceSchema,
  targetScope: targetScopeSchema
    .optional()
    .describe("Cluster for a cluster-scoped target such as a Node; then namespace is the request's"),
  firingTime: rfc3339Schema.optional(),
});
export type Signal = z.infer<typeof signalSchema>;

export const remediationProcessingSpecSchema = z.object({
  remediationRequestRef: objectReferenceSchema,
  signal: signalSchema,
  enrichmentConfig: z
    .object({
      contextSources: z
        .array(z.string().min(1))
        .describe("context sources to query, e.g. kubernetes, metrics"),
    })
    .optional(),
});
export type RemediationProcessingSpec = z.infer<typeof remediationProcessingSpecSchema>;

export const enrichmentResultsSchema = z.object({
  completedAt: rfc3339Schema.optional(),
  duration: goDurationSchema.optional(),
  enrichmentQuality: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("0..1, share of the context that was found"),
  contextSizeBytes: z.int().min(0).optional(),
  contextSources: z.array(z.string()).optional().describe("sources that answered"),
  namespaceLabels: stringMapSchema.optional(),
  namespaceAnnotations: stringMapSchema.optional(),
  targetResourceFound: z.boolean().optional(),
  targetResourceLabels: stringMapSchema.optional(),
  relatedEventCount: z.int().min(0).optional(),
  summary: z.string().optional().describe("short human-readable context summary"),
});
export type EnrichmentResults = z.infer<typeof enrichmentResultsSchema>;

export const environmentClassificationSchema = z.object({
  environment: z.string().min(1).describe("production, staging, development, testing or unknown"),
  confidence: z.number().min(0).max(1),
  businessPriority: z.string().min(1).describe("P0 (highest) to P3"),
  slaRequirement: z.string().optional(),
  classificationMethod: z.string().min(1).describe("namespace-label, pattern, fallback, ..."),
});
export type EnvironmentClassification = z.infer<typeof environmentClassificationSchema>;

export const routingDecisionSchema = z.object({
  routedToService: z.string().min(1),
  routingPriority: z.int().min(0),
  routingKey: z.string().min(1),
});
export type RoutingDecision = z.infer<typeof routingDecisionSchema>;

export const remediationProcessingStatusSchema = z.object({
  phase: remediationProcessingPhaseSchema.optional(),
  phaseTransitions: phaseTransitionsSchema(remediationProcessingPhases).optional(),
  enrichmentResults: enrichmentResultsSchema.optional(),
  degradedMode: z.boolean().optional().describe("enrichment ran without some context sources"),
  classificationStartTime: rfc3339Schema.optional(),
  classificationEndTime: rfc3339Schema.optional(),
  classificationDuration: goDurationSchema.optional(),
  environmentClassification: environmentClassificationSchema.optional(),
  routing: routingDecisionSchema.optional(),
  completedAt: rfc3339Schema.optional(),
  failedPhase: z.enum(["enriching", "classifying", "routing"]).optional(),
  errorMessage: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type RemediationProcessingStatus = z.infer<typeof remediationProcessingStatusSchema>;

export const remediationProcessingSchema = customResourceSchema(
  remediationProcessingKind,
  remediationProcessingSpecSchema,
  remediationProcessingStatusSchema,
);
export type RemediationProcessing = z.infer<typeof remediationProcessingSchema>;

export const remediationProcessingDefinition: CustomResourceDefinitionSource = {
  kind: remediationProcessingKind,
  spec: remediationProcessingSpecSchema,
  status: remediationProcessingStatusSchema,
  description: "Enrichment, environment classification and routing of one signal.",
  printerColumns: [
    phaseColumn,
    { name: "Environment", type: "string", jsonPath: ".status.environmentClassification.environment" },
    { name: "Priority", type: "string", jsonPath: ".status.environmentClassification.businessPriority" },
    { name: "Routed To", type: "string", jsonPath: ".status.routing.routedToService", priority: 1 },
    ageColumn,
  ],
};
