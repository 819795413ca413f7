import {
  alertProcessingAudit,
  alertProcessingAuditKeys,
  emptyToNull,
  nanosToInterval,
  type ProcessingPhase,
  parseGoDuration,
  type RemediationProcessingAudit,
  type StoredProcessingPhase,
} from "@kubernaut/schema";
import { type ProjectionValues, projectionSpecOf } from "./projection.js";
import { wireTime } from "./times.js";

/** `alert_processing_audit`: one row per processing, keyed by `remediation_id` (led by its alert's fingerprint). */
export const ALERT_PROCESSING_AUDIT = projectionSpecOf(
  alertProcessingAudit,
  alertProcessingAuditKeys,
  ["alert_fingerprint", "remediation_id"],
  {
    // Go sends a nil slice as null: nothing to merge, and the column itself is never NULL.
    processing_phases: {
      type: "jsonb",
      insert: "COALESCE($, '[]'::jsonb)",
      incoming: "NULLIF(excluded.processing_phases, '[]'::jsonb)",
    },
    // Read as JSON: arrays of text[] cannot be aggregated when their lengths differ.
    enrichment_sources: {
      type: "jsonb",
      insert: "CASE WHEN $ IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($)) END",
    },
  },
);

/** The `alert_processing_audit` columns of one processor record. */
export function alertProcessingAuditValues(
  record: RemediationProcessingAudit,
): ProjectionValues<typeof alertProcessingAudit> {
  return {
    remediation_id: record.remediation_id,
    alert_fingerprint: record.alert_fingerprint,
    processing_phases: record.processing_phases?.length ? record.processing_phases.map(storedPhase) : null,
    enrichment_quality: record.enrichment_quality ?? null,
    enrichment_sources: record.enrichment_sources ?? null,
    context_size_bytes: record.context_size_bytes ?? null,
    environment: emptyToNull(record.environment),
    confidence: record.confidence ?? null,
    business_priority: emptyToNull(record.business_priority),
    sla_requirement: emptyToNull(record.sla_requirement),
    routed_to_service: emptyToNull(record.routed_to_service),
    routing_priority: record.routing_priority ?? null,
    completed_at: wireTime(record.completed_at),
    status: record.status,
    error_message: emptyToNull(record.error_message),
  };
}

/**
 * A phase as stored: `duration` becomes an ISO 8601 interval so that the seed's
 * `(processing_phases->0->>'duration')::interval` is exact, with `duration_ns` kept beside it.
 */
export function storedPhase(phase: ProcessingPhase): StoredProcessingPhase {
  const nanos = parseGoDuration(phase.duration);
  return {
    phase: phase.phase,
    start_time: wireTime(phase.start_time),
    end_time: wireTime(phase.end_time),
    duration: nanosToInterval(nanos),
    duration_ns: nanos,
    ...(phase.enrichmentResults ? { enrichmentResults: phase.enrichmentResults } : {}),
    ...(phase.classificationResults ? { classificationResults: phase.classificationResults } : {}),
    ...(phase.routingResults ? { routingResults: phase.routingResults } : {}),
  };
}
