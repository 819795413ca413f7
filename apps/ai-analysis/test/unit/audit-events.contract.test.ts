import { AuditRecord, deterministicEventId } from "@kubernaut/schema/contracts";
import { describe, expect, it } from "vitest";
import {
  analysisCompleteEvent,
  analysisFailedEvent,
  investigationCompleteEvent,
  recommendationsGeneratedEvent,
  workflowCreatedEvent,
} from "../../src/audit/audit-events.js";
import { analysis } from "./builders.js";

const completed = analysis({
  status: {
    phase: "completed",
    phaseTransitions: {
      investigating: "2025-01-15T10:30:00.000Z",
      analyzing: "2025-01-15T10:30:01.250Z",
      recommending: "2025-01-15T10:30:01.500Z",
      completed: "2025-01-15T10:30:02.000Z",
    },
    investigationResult: {
      rootCauseHypotheses: [
        { hypothesis: "memory limit too low", confidence: 0.9, evidence: [] },
        { hypothesis: "leak", confidence: 0.3 },
      ],
      investigationReport: "OOMKilled twice.",
      provider: "rules",
    },
    confidenceScore: 0.9,
    hallucinationDetected: false,
    recommendations: [
      {
        action: "increase-memory-limit",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
        effectivenessProbability: 0.81,
        historicalSuccessRate: 0.75,
        rank: 1,
      },
      { action: "restart-pod", effectivenessProbability: 0.35, rank: 2 },
    ],
    workflowExecutionRef: { name: "rr-payments-api-analysis-workflow", namespace: "payments" },
    completedAt: "2025-01-15T10:30:02.000Z",
  },
});

const identity = {
  kind: "ai-analysis",
  crd_name: "rr-payments-api-analysis",
  crd_namespace: "payments",
  alert_fingerprint: "fp-0123456789abcdef",
  environment: "production",
  severity: "critical",
  remediation_id: "rr-payments-api",
};

describe("audit records per trigger", () => {
  it("investigation complete: window, duration, root cause count and report", () => {
    const record = AuditRecord.parse(investigationCompleteEvent(completed));
    expect(record).toMatchObject({
      ...identity,
      trigger: "investigation_complete",
      investigation_start: "2025-01-15T10:30:00.000Z",
      investigation_end: "2025-01-15T10:30:01.250Z",
      investigation_duration_ms: 1250,
      root_cause_count: 2,
      investigation_report: "OOMKilled twice.",
      occurred_at: "2025-01-15T10:30:01.250Z",
    });
  });

  it("analysis complete: window, confidence and hallucination flag", () => {
    const record = AuditRecord.parse(analysisCompleteEvent(completed));
    expect(record).toMatchObject({
      ...identity,
      trigger: "analysis_complete",
      analysis_duration_ms: 250,
      confidence_score: 0.9,
      hallucination_detected: false,
    });
  });

  it("recommendations generated: all ranked recommendations and the top one's figures", () => {
    const record = AuditRecord.parse(recommendationsGeneratedEvent(completed));
    expect(record).toMatchObject({
      ...identity,
      trigger: "recommendations_generated",
      recommendation_start: "2025-01-15T10:30:01.500Z",
      recommendation_end: "2025-01-15T10:30:02.000Z",
      top_recommendation: "increase-memory-limit",
      effectiveness_probability: 0.81,
      historical_success_rate: 0.75,
    });
    expect(record.kind === "ai-analysis" && record.recommendations?.length).toBe(2);
  });

  it("workflow created: the WorkflowExecution and a completed status", () => {
    const record = AuditRecord.parse(workflowCreatedEvent(completed));
    expect(record).toMatchObject({
      ...identity,
      trigger: "workflow_created",
      workflow_crd_name: "rr-payments-api-analysis-workflow",
      workflow_crd_namespace: "payments",
      completion_status: "completed",
    });
  });

  it("analysis failed: the reason, and what the failed phase found", () => {
    const failed = analysis({
      status: {
        phase: "failed",
        failedPhase: "analyzing",
        failureReason: "no valid recommendation",
        confidenceScore: 0.45,
        hallucinationDetected: true,
        phaseTransitions: { analyzing: "2025-01-15T10:30:01.000Z", failed: "2025-01-15T10:30:01.400Z" },
      },
    });
    const record = AuditRecord.parse(analysisFailedEvent(failed, "failed"));
    expect(record).toMatchObject({
      ...identity,
      trigger: "analysis_failed",
      completion_status: "failed",
      failure_reason: "no valid recommendation",
      analysis_duration_ms: 400,
      hallucination_detected: true,
      confidence_score: 0.45,
    });
  });

  it("derives one stable event id per AIAnalysis and trigger, so a redo is a duplicate", () => {
    const first = investigationCompleteEvent(completed).event_id;
    expect(first).toBe(deterministicEventId("6b1f3a8e-2c47-4d9b-9e2a-0f5c3d7e1a90/investigation_complete"));
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(analysisCompleteEvent(completed).event_id).not.toBe(first);
  });
});
