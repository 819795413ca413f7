import { z } from "zod";
import { eventEnvelope } from "../wire/envelope.js";
import { goDuration, goTimeOptional } from "../wire/go.js";
import { int4, storableText } from "../wire/storable.js";

/** Seed 001's `EnrichmentPhaseResults`. */
export const EnrichmentPhaseResults = z.strictObject({
  contextQuality: z.number().min(0).max(1),
  contextSizeBytes: int4().min(0),
  contextSources: int4().min(0),
  degradedMode: z.boolean(),
});
export type EnrichmentPhaseResults = z.infer<typeof EnrichmentPhaseResults>;

export const ClassificationMethod = z.enum(["namespace-label", "pattern", "fallback"]);
export type ClassificationMethod = z.infer<typeof ClassificationMethod>;

/** Seed 001's `ClassificationPhaseResults`. */
export const ClassificationPhaseResults = z.strictObject({
  environment: storableText().max(50),
  confidence: z.number().min(0).max(1),
  businessPriority: storableText().max(20),
  classificationMethod: ClassificationMethod,
});
export type ClassificationPhaseResults = z.infer<typeof ClassificationPhaseResults>;

/** Seed 001's `RoutingPhaseResults`. */
export const RoutingPhaseResults = z.strictObject({
  routedToService: storableText().max(255),
  routingPriority: int4(),
  routingKey: storableText(),
});
export type RoutingPhaseResults = z.infer<typeof RoutingPhaseResults>;

/** Seed 001's `ProcessingPhase`: snake_case times, camelCase typed phase results. */
export const ProcessingPhase = z.strictObject({
  phase: storableText().min(1).max(50),
  start_time: goTimeOptional,
  end_time: goTimeOptional,
  duration: goDuration,
  enrichmentResults: EnrichmentPhaseResults.nullish(),
  classificationResults: ClassificationPhaseResults.nullish(),
  routingResults: RoutingPhaseResults.nullish(),
});
export type ProcessingPhase = z.infer<typeof ProcessingPhase>;

/**
 * A phase as stored in `processing_phases` and as the read endpoints answer it: times normalised, `duration`
 * as an ISO 8601 interval (e.g. `PT2.5S`, which casts exactly with `::interval`), `duration_ns` beside it.
 */
export const StoredProcessingPhase = z.looseObject({
  phase: z.string(),
  start_time: z.iso.datetime({ offset: true }).nullable(),
  end_time: z.iso.datetime({ offset: true }).nullable(),
  duration: z.string(),
  duration_ns: z.number(),
  enrichmentResults: EnrichmentPhaseResults.nullish(),
  classificationResults: ClassificationPhaseResults.nullish(),
  routingResults: RoutingPhaseResults.nullish(),
});
export type StoredProcessingPhase = z.infer<typeof StoredProcessingPhase>;

/**
 * Seed 001's `RemediationProcessingAudit`, published by the processor after routing or on failure.
 * `id` is server-owned and ignored. Go writes a nil slice as `null`, so list fields accept it.
 */
export const remediationProcessingAuditShape = {
  ...eventEnvelope,
  id: storableText().optional(),
  remediation_id: storableText().min(1, { error: "must not be empty" }).max(255),
  alert_fingerprint: storableText().min(1, { error: "must not be empty" }).max(64),
  processing_phases: z.array(ProcessingPhase).nullable(),

  enrichment_quality: z.number().min(0).max(1).optional(),
  enrichment_sources: z.array(storableText()).nullish(),
  context_size_bytes: int4().min(0).optional(),

  environment: storableText().max(50).optional(),
  confidence: z.number().min(0).max(1).optional(),
  business_priority: storableText().max(20).optional(),
  sla_requirement: storableText().max(50).optional(),

  routed_to_service: storableText().max(255).optional(),
  routing_priority: int4().optional(),

  completed_at: goTimeOptional,
  status: storableText().min(1, { error: "must not be empty" }).max(50),
  error_message: storableText().optional(),
};

export const RemediationProcessingAudit = z.strictObject(remediationProcessingAuditShape);
export type RemediationProcessingAudit = z.infer<typeof RemediationProcessingAudit>;
