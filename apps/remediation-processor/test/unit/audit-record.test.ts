import { RemediationProcessingAudit } from "@kubernaut/schema/contracts";
import { describe, expect, it } from "vitest";
import { buildProcessingAudit, processingEventId } from "../../src/audit-record.js";
import { processing } from "./fixtures.js";

const completed = processing({
  status: {
    phase: "completed",
    phaseTransitions: {
      enriching: "2025-01-15T10:00:00Z",
      classifying: "2025-01-15T10:00:02.5Z",
      routing: "2025-01-15T10:00:02.6Z",
      completed: "2025-01-15T10:00:02.65Z",
    },
    enrichmentResults: {
      completedAt: "2025-01-15T10:00:02.5Z",
      duration: "2.5s",
      enrichmentQuality: 0.75,
      contextSizeBytes: 1234,
      contextSources: ["namespace", "pods", "events"],
    },
    degradedMode: true,
    classificationStartTime: "2025-01-15T10:00:02.5Z",
    classificationEndTime: "2025-01-15T10:00:02.6Z",
    classificationDuration: "100ms",
    environmentClassification: {
      environment: "production",
      confidence: 0.95,
      businessPriority: "P0",
      slaRequirement: "5m",
      classificationMethod: "namespace-label",
    },
    routing: {
      routedToService: "ai-analysis",
      routingPriority: 0,
      routingKey: "production.P0.mem-pressure-prod-123",
    },
    completedAt: "2025-01-15T10:00:02.65Z",
  },
});

describe("buildProcessingAudit", () => {
  it("dates the record when the processing finished, also when it is built again later (a replay)", () => {
    const replayed = buildProcessingAudit(completed, new Date("2025-01-15T11:00:00Z"));
    expect(replayed.occurred_at).toBe("2025-01-15T10:00:02.65Z");
  });

  it("builds seed 001's record with typed results for all three phases", () => {
    const record = buildProcessingAudit(completed, new Date("2025-01-15T10:00:03Z"));
    expect(RemediationProcessingAudit.parse(record)).toBeTruthy();
    expect(record).toMatchObject({
      event_id: processingEventId(completed.metadata.uid ?? "", "completed"),
      remediation_id: "rr-1",
      alert_fingerprint: "mem-pressure-prod-123",
      status: "completed",
      enrichment_quality: 0.75,
      enrichment_sources: ["namespace", "pods", "events"],
      context_size_bytes: 1234,
      environment: "production",
      confidence: 0.95,
      business_priority: "P0",
      sla_requirement: "5m",
      routed_to_service: "ai-analysis",
      routing_priority: 0,
      completed_at: "2025-01-15T10:00:02.65Z",
    });
    expect(record.processing_phases).toEqual([
      {
        phase: "enriching",
        start_time: "2025-01-15T10:00:00Z",
        end_time: "2025-01-15T10:00:02.5Z",
        duration: 2_500_000_000,
        enrichmentResults: {
          contextQuality: 0.75,
          contextSizeBytes: 1234,
          contextSources: 4,
          degradedMode: true,
        },
      },
      {
        phase: "classifying",
        start_time: "2025-01-15T10:00:02.5Z",
        end_time: "2025-01-15T10:00:02.6Z",
        duration: 100_000_000,
        classificationResults: {
          environment: "production",
          confidence: 0.95,
          businessPriority: "P0",
          classificationMethod: "namespace-label",
        },
      },
      {
        phase: "routing",
        start_time: "2025-01-15T10:00:02.6Z",
        end_time: "2025-01-15T10:00:02.65Z",
        duration: 50_000_000,
        routingResults: {
          routedToService: "ai-analysis",
          routingPriority: 0,
          routingKey: "production.P0.mem-pressure-prod-123",
        },
      },
    ]);
    expect(record.error_message).toBeUndefined();
  });

  it("records a failure with the phases that finished and the error", () => {
    const failed = processing({
      status: {
        phase: "failed",
        phaseTransitions: { enriching: "2025-01-15T10:00:00Z", failed: "2025-01-15T10:00:01Z" },
        enrichmentResults: {
          completedAt: "2025-01-15T10:00:01Z",
          duration: "1s",
          enrichmentQuality: 0,
          contextSizeBytes: 20,
        },
        degradedMode: true,
        failedPhase: "enriching",
        errorMessage: "enrichment failed: no context source answered",
        completedAt: "2025-01-15T10:00:01Z",
      },
    });
    const record = buildProcessingAudit(failed, new Date("2025-01-15T10:00:01Z"));
    expect(RemediationProcessingAudit.parse(record)).toBeTruthy();
    expect(record).toMatchObject({
      status: "failed",
      error_message: "enrichment failed: no context source answered",
      event_id: processingEventId(failed.metadata.uid ?? "", "failed"),
    });
    expect(record.processing_phases?.map((p) => p.phase)).toEqual(["enriching"]);
    expect(record.environment).toBeUndefined();
  });

  it("gives the same event id on every build, so a re-publish is deduplicated", () => {
    const a = buildProcessingAudit(completed, new Date());
    const b = buildProcessingAudit(completed, new Date(Date.now() + 5000));
    expect(a.event_id).toBe(b.event_id);
  });
});
