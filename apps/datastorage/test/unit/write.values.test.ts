import { describe, expect, it } from "vitest";
import { aiAnalysisAuditValues } from "../../src/write/ai-analysis.js";
import { remediationAuditValues } from "../../src/write/orchestration.js";
import { storedPhase } from "../../src/write/processing.js";

const identity = {
  crd_name: "rr-1-analysis",
  crd_namespace: "kubernaut-system",
  alert_fingerprint: "fp-1",
  environment: "production",
  severity: "critical",
};

describe("projection values", () => {
  it("AI: workflow_created implies completed, analysis_failed implies failed, unless given", () => {
    expect(
      aiAnalysisAuditValues({ ...identity, trigger: "workflow_created", workflow_crd_name: "wf" })
        .completion_status,
    ).toBe("completed");
    expect(
      aiAnalysisAuditValues({ ...identity, trigger: "analysis_failed", failure_reason: "x" })
        .completion_status,
    ).toBe("failed");
    expect(
      aiAnalysisAuditValues({
        ...identity,
        trigger: "workflow_created",
        workflow_crd_name: "wf",
        completion_status: "timeout",
      }).completion_status,
    ).toBe("timeout");
    expect(aiAnalysisAuditValues({ ...identity, trigger: "analysis_complete" }).completion_status).toBeNull();
  });

  it("AI: the top recommendation defaults from the best rank; durations from start and end", () => {
    const values = aiAnalysisAuditValues({
      ...identity,
      trigger: "recommendations_generated",
      recommendations: [
        { action: "scale-out", rank: 2, effectivenessProbability: 0.6 },
        { action: "restart-pod", rank: 1, effectivenessProbability: 0.9, historicalSuccessRate: 0.8 },
      ],
      investigation_start: "2025-01-15T10:30:00Z",
      investigation_end: "2025-01-15T10:30:03.25Z",
      analysis_start: "0001-01-01T00:00:00Z",
      analysis_end: "2025-01-15T10:30:05Z",
    });
    expect(values).toMatchObject({
      top_recommendation: "restart-pod",
      effectiveness_probability: 0.9,
      historical_success_rate: 0.8,
      investigation_duration_ms: 3250,
      analysis_start: null,
      analysis_duration_ms: null,
    });
    expect((values.recommendations as { action: string }[]).map((r) => r.action)).toEqual([
      "restart-pod",
      "scale-out",
    ]);
  });

  it("orchestration: either processing-name spelling, empty strings and zero times as NULL", () => {
    const base = {
      alert_fingerprint: "fp",
      remediation_name: "rr",
      overall_phase: "processing",
      start_time: "2025-01-15T10:30:00Z",
      completion_time: "0001-01-01T00:00:00Z",
      failure_phase: "",
    };
    expect(remediationAuditValues({ ...base, remediation_processing_name: "p1" })).toMatchObject({
      alert_processing_name: "p1",
      completion_time: null,
      failure_phase: null,
    });
    expect(remediationAuditValues({ ...base, alert_processing_name: "p2" }).alert_processing_name).toBe("p2");
  });

  it("processing: a phase's duration becomes an exact ISO 8601 interval beside its nanoseconds", () => {
    expect(storedPhase({ phase: "enriching", duration: 2_500_000_000 })).toEqual({
      phase: "enriching",
      start_time: null,
      end_time: null,
      duration: "PT2.5S",
      duration_ns: 2_500_000_000,
    });
    expect(storedPhase({ phase: "classifying", duration: "1m30.000001s" }).duration).toBe("PT90.000001S");
  });
});
