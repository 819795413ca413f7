import { z } from "zod";
import {
  conditionSchema,
  objectReferenceSchema,
  rfc3339Schema,
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

export const workflowExecutionKind = customResourceKind("WorkflowExecution", {
  plural: "workflowexecutions",
  singular: "workflowexecution",
  shortNames: ["wfe"],
});

export const workflowExecutionPhaseSchema = z.enum(["pending", "running", "completed", "failed"]);
export type WorkflowExecutionPhase = z.infer<typeof workflowExecutionPhaseSchema>;

export const workflowExecutionSpecSchema = z.object({
  remediationRequestRef: objectReferenceSchema,
  aiAnalysisRef: objectReferenceSchema,
  action: z.string().min(1),
  targetResource: targetResourceSchema,
  parameters: stringMapSchema.optional(),
});
export type WorkflowExecutionSpec = z.infer<typeof workflowExecutionSpecSchema>;

/** Written by the external workflow engine (or by tests); the platform only reads it. */
export const workflowExecutionStatusSchema = z.object({
  phase: workflowExecutionPhaseSchema.optional(),
  startTime: rfc3339Schema.optional(),
  completedAt: rfc3339Schema.optional(),
  message: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
});
export type WorkflowExecutionStatus = z.infer<typeof workflowExecutionStatusSchema>;

export const workflowExecutionSchema = customResourceSchema(
  workflowExecutionKind,
  workflowExecutionSpecSchema,
  workflowExecutionStatusSchema,
);
export type WorkflowExecution = z.infer<typeof workflowExecutionSchema>;

export const workflowExecutionDefinition: CustomResourceDefinitionSource = {
  kind: workflowExecutionKind,
  spec: workflowExecutionSpecSchema,
  status: workflowExecutionStatusSchema,
  description: "A remediation action handed to the external workflow engine.",
  printerColumns: [
    phaseColumn,
    { name: "Action", type: "string", jsonPath: ".spec.action" },
    { name: "Target", type: "string", jsonPath: ".spec.targetResource.name", priority: 1 },
    ageColumn,
  ],
};
