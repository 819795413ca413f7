import type { RemediationProcessing } from "@kubernaut/crds";
import {
  deterministicEventId,
  type ProcessingPhase,
  parseGoDuration,
  type RemediationProcessingAudit,
} from "@kubernaut/schema/contracts";
import type { z } from "zod";
import { requestedSources } from "./enrichment/context.js";

export type RemediationProcessingAuditInput = z.input<typeof RemediationProcessingAudit>;
type ProcessingPhaseInput = z.input<typeof ProcessingPhase>;

/** The id of the one final record of a processing, so a re-publish after a crash is a server-side no-op. */
export function processingEventId(uid: string, outcome: "completed" | "failed"): string {
  return deterministicEventId(`${uid}/remediation-processing/${outcome}`);
}

/**
 * Seed 001's `RemediationProcessingAudit` for a processing that reached `completed` or `failed`, built
 * only from what its status recorded: one entry per phase that finished, with its typed results and its
 * duration in integer nanoseconds (as Go's `time.Duration` marshals).
 */
export function buildProcessingAudit(rp: RemediationProcessing, now: Date): RemediationProcessingAuditInput {
  const status = rp.status ?? {};
  const outcome = status.phase === "failed" ? "failed" : "completed";
  const enrichment = status.enrichmentResults;
  const classification = status.environmentClassification;
  const routing = status.routing;
  const phases: ProcessingPhaseInput[] = [];

  if (enrichment?.completedAt) {
    phases.push({
      phase: "enriching",
      start_time: status.phaseTransitions?.enriching ?? rp.metadata.creationTimestamp ?? null,
      end_time: enrichment.completedAt,
      duration: enrichment.duration ? parseGoDuration(enrichment.duration) : 0,
      enrichmentResults: {
        contextQuality: enrichment.enrichmentQuality ?? 0,
        contextSizeBytes: enrichment.contextSizeBytes ?? 0,
        contextSources: requestedSources(rp.spec.enrichmentConfig?.contextSources).length,
        degradedMode: status.degradedMode ?? false,
      },
    });
  }
  if (classification && status.classificationEndTime) {
    phases.push({
      phase: "classifying",
      start_time: status.classificationStartTime ?? null,
      end_time: status.classificationEndTime,
      duration: status.classificationDuration ? parseGoDuration(status.classificationDuration) : 0,
      classificationResults: {
        environment: classification.environment,
        confidence: classification.confidence,
        businessPriority: classification.businessPriority,
        classificationMethod: classificationMethod(classification.classificationMethod),
      },
    });
  }
  if (routing && status.completedAt) {
    const start = status.phaseTransitions?.routing;
    phases.push({
      phase: "routing",
      start_time: start ?? null,
      end_time: status.completedAt,
      duration: start ? (Date.parse(status.completedAt) - Date.parse(start)) * 1e6 : 0,
      routingResults: {
        routedToService: routing.routedToService,
        routingPriority: routing.routingPriority,
        routingKey: routing.routingKey,
      },
    });
  }

  const record: RemediationProcessingAuditInput = {
    event_id: processingEventId(rp.metadata.uid ?? `${rp.metadata.namespace}/${rp.metadata.name}`, outcome),
    // When the processing finished, not when this record was built: a record published again after a crash
    // must keep its place in the timeline.
    occurred_at: status.completedAt ?? now.toISOString(),
    remediation_id: rp.spec.remediationRequestRef.name,
    alert_fingerprint: rp.spec.signal.fingerprint,
    processing_phases: phases,
    completed_at: status.completedAt ?? now.toISOString(),
    status: outcome,
  };
  if (enrichment) {
    if (enrichment.enrichmentQuality !== undefined) record.enrichment_quality = enrichment.enrichmentQuality;
    record.enrichment_sources = enrichment.contextSources ?? [];
    if (enrichment.contextSizeBytes !== undefined) record.context_size_bytes = enrichment.contextSizeBytes;
  }
  if (classification) {
    record.environment = classification.environment;
    record.confidence = classification.confidence;
    record.business_priority = classification.businessPriority;
    if (classification.slaRequirement) record.sla_requirement = classification.slaRequirement;
  }
  if (routing) {
    record.routed_to_service = routing.routedToService;
    record.routing_priority = routing.routingPriority;
  }
  if (outcome === "failed") record.error_message = status.errorMessage ?? "processing failed";
  return record;
}

function classificationMethod(method: string): "namespace-label" | "pattern" | "fallback" {
  return method === "namespace-label" || method === "pattern" ? method : "fallback";
}
