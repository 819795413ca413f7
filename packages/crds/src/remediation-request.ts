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
} from "./common.js";
import {
  ageColumn,
  type CustomResourceDefinitionSource,
  customResourceKind,
  customResourceSchema,
  phaseColumn,
} from "./resource.js";

export const remediationRequestKind = customResourceKind("RemediationRequest", {
  plural: "remediationrequests",
  singular: "remediationrequest",
  shortNames: ["rr"],
});

export const remediationRequestPhases = [
  "pending",
  "processing",
  "analyzing",
  "executing",
  "completed",
  "failed",
  "timeout",
] as const;
export const remediationRequestPhaseSchema = z.enum(remediationRequestPhases);
export type RemediationRequestPhase = z.infer<typeof remediationRequestPhaseSchema>;

/** The phases in which work is under way, so the ones a failure or a timeout can happen in. */
export const remediationRequestActivePhaseSchema = z.enum([
  "pending",
  "processing",
  "analyzing",
  "executing",
]);

export const remediationRequestSpecSchema = z.object({
  signalFingerprint: z.string().min(1).max(64).describe("fingerprint of the alert; ties the audit trail"),
  signalName: z.string().min(1).describe("alert name"),
  severity: severitySchema,
  environment: z.string().min(1).optional().describe("environment hint from the signal source"),
  targetResource: targetResourceSchema,
  signalLabels: stringMapSchema.optional(),
  signalAnnotations: stringMapSchema.optional(),
  firingTime: rfc3339Schema,
  timeouts: z
    .object({
      processing: goDurationSchema.optional(),
      analyzing: goDurationSchema.optional(),
      executing: goDurationSchema.optional(),
      overall: goDurationSchema.optional(),
    })
    .optional()
    .describe("per-phase timeouts overriding the orchestrator's defaults"),
});
export type RemediationRequestSpec = z.infer<typeof remediationRequestSpecSchema>;

export const remediationRequestStatusSchema = z.object({
  phase: remediationRequestPhaseSchema.optional(),
  phaseTransitions: phaseTransitionsSchema(remediationRequestPhases).optional(),
  startTime: rfc3339Schema.optional(),
  completedAt: rfc3339Schema.optional(),
  remediationProcessingRef: objectReferenceSchema.optional(),
  aiAnalysisRef: objectReferenceSchema.optional(),
  workflowExecutionRef: objectReferenceSchema.optional(),
  failedPhase: remediationRequestActivePhaseSchema.optional(),
  errorMessage: z.string().optional(),
  timeoutPhase: remediationRequestActivePhaseSchema.optional(),
  timeoutTime: rfc3339Schema.optional(),
  duplicateOf: z.string().min(1).optional().describe("name of the RemediationRequest this one duplicates"),
  duplicateCount: z.int().min(0).optional(),
  lastDuplicateTime: rfc3339Schema.optional(),
  auditRecorded: z
    .boolean()
    .optional()
    .describe("the final audit record was accepted by the storage service"),
  auditRecordedTime: rfc3339Schema.optional(),
  retentionExpiryTime: rfc3339Schema
    .optional()
    .describe("when the resource may be deleted (24 h after completion)"),
  conditions: z.array(conditionSchema).optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type RemediationRequestStatus = z.infer<typeof remediationRequestStatusSchema>;

export const remediationRequestSchema = customResourceSchema(
  remediationRequestKind,
  remediationRequestSpecSchema,
  remediationRequestStatusSchema,
);
export type RemediationRequest = z.infer<typeof remediationRequestSchema>;

export const remediationRequestDefinition: CustomResourceDefinitionSource = {
  kind: remediationRequestKind,
  spec: remediationRequestSpecSchema,
  status: remediationRequestStatusSchema,
  description: "One alert being remediated; the orchestrator drives it through its child resources.",
  printerColumns: [
    phaseColumn,
    { name: "Signal", type: "string", jsonPath: ".spec.signalName" },
    { name: "Severity", type: "string", jsonPath: ".spec.severity" },
    { name: "Fingerprint", type: "string", jsonPath: ".spec.signalFingerprint", priority: 1 },
    { name: "Failed Phase", type: "string", jsonPath: ".status.failedPhase", priority: 1 },
    ageColumn,
  ],
};
