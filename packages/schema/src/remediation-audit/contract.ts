import { z } from "zod";
import { eventEnvelope } from "../wire/envelope.js";
import { goTimeOptional, goTimeRequired } from "../wire/go.js";
import { int4, storableText } from "../wire/storable.js";

/** A child CRD's status at the moment of the phase change (camelCase, as the Go struct marshals). */
export const CRDStatusSnapshot = z.strictObject({
  phase: storableText(),
  startTime: goTimeOptional,
  completionTime: goTimeOptional,
  success: z.boolean(),
  error: storableText().optional(),
});
export type CRDStatusSnapshot = z.infer<typeof CRDStatusSnapshot>;

/** Snapshots of all children of a RemediationRequest, stored as `service_crd_statuses` JSONB. */
export const ServiceCRDStatuses = z.strictObject({
  remediationProcessing: CRDStatusSnapshot.nullish(),
  aiAnalysis: CRDStatusSnapshot.nullish(),
  workflowExecution: CRDStatusSnapshot.nullish(),
});
export type ServiceCRDStatuses = z.infer<typeof ServiceCRDStatuses>;

const name = (max: number) => storableText().max(max, { error: `at most ${max} characters` });
const optionalName = (max: number) => name(max).nullish();

/**
 * Seed 003's `RemediationOrchestrationAudit` (plus `signal_name` and `target_namespace`), published by the
 * orchestrator on every phase change.
 * `remediation_processing_name` (what the Go struct sends) and `alert_processing_name` (the column) are the
 * same field; either is accepted. `id`, `created_at` and `updated_at` are server-owned and ignored.
 */
export const remediationOrchestrationAuditShape = {
  ...eventEnvelope,
  id: int4().optional(),
  alert_fingerprint: name(64).min(1, { error: "must not be empty" }),
  remediation_name: name(255).min(1, { error: "must not be empty" }),
  overall_phase: name(50).min(1, { error: "must not be empty" }),
  start_time: goTimeRequired,
  completion_time: goTimeOptional,

  remediation_processing_name: optionalName(255),
  alert_processing_name: optionalName(255),
  ai_analysis_name: optionalName(255),
  workflow_execution_name: optionalName(255),
  kubernetes_execution_name: optionalName(255),

  /**
   * Beyond seed 003: the alert's name (`RemediationRequest.spec.signalName`) and the namespace of the resource it
   * is about (absent for a cluster-scoped one). No column holds them: they stay in the event's payload, where the
   * list endpoints' `signal` and `namespace` filters find them.
   */
  signal_name: optionalName(255),
  target_namespace: optionalName(253),

  service_crd_statuses: ServiceCRDStatuses.nullish(),

  timeout_phase: optionalName(50),
  timeout_time: goTimeOptional,
  failure_phase: optionalName(50),
  failure_reason: storableText().nullish(),

  duplicate_count: int4().min(0, { error: "must not be negative" }).optional(),
  last_duplicate_time: goTimeOptional,

  retention_expiry_time: goTimeOptional,
  deleted_at: goTimeOptional,

  created_at: goTimeOptional,
  updated_at: goTimeOptional,
};

export const RemediationOrchestrationAudit = z.strictObject(remediationOrchestrationAuditShape);
export type RemediationOrchestrationAudit = z.infer<typeof RemediationOrchestrationAudit>;
