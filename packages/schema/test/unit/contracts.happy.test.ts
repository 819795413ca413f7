import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import { describe, expect, it } from "vitest";
import {
  AIAnalysisAuditEvent,
  BatchRequest,
  RemediationOrchestrationAudit,
  RemediationProcessingAudit,
} from "../../src/index.js";

describe("wire contracts accept the seeds' Go-shaped JSON", () => {
  it("RemediationOrchestrationAudit (seed 003)", () => {
    const parsed = RemediationOrchestrationAudit.parse(goRemediationOrchestrationAudit);
    expect(parsed.service_crd_statuses?.workflowExecution?.error).toBe("step 2 timed out");
  });

  it("accepts alert_processing_name as well as remediation_processing_name", () => {
    const { remediation_processing_name: _, ...rest } = goRemediationOrchestrationAudit;
    expect(RemediationOrchestrationAudit.safeParse({ ...rest, alert_processing_name: "p" }).success).toBe(
      true,
    );
  });

  it("RemediationProcessingAudit (seed 001) with nanosecond and string durations", () => {
    const parsed = RemediationProcessingAudit.parse(goRemediationProcessingAudit);
    expect(parsed.processing_phases?.[0]?.enrichmentResults?.degradedMode).toBe(true);
    expect(
      RemediationProcessingAudit.safeParse({ ...goRemediationProcessingAudit, processing_phases: null })
        .success,
    ).toBe(true);
  });

  it("AIAnalysisAuditEvent (seed 000) at each trigger", () => {
    expect(AIAnalysisAuditEvent.parse(goAIAnalysisInvestigationComplete).root_cause_count).toBe(2);
    const failed = {
      ...goAIAnalysisInvestigationComplete,
      trigger: "analysis_failed",
      failure_reason: "timeout",
    };
    expect(AIAnalysisAuditEvent.safeParse(failed).success).toBe(true);
  });

  it("a mixed batch", () => {
    const batch = BatchRequest.parse({
      records: [
        { kind: "remediation-orchestration", ...goRemediationOrchestrationAudit },
        { kind: "alert-processing", ...goRemediationProcessingAudit },
        { kind: "ai-analysis", ...goAIAnalysisInvestigationComplete },
      ],
    });
    expect(batch.records.map((r) => r.kind)).toEqual([
      "remediation-orchestration",
      "alert-processing",
      "ai-analysis",
    ]);
  });
});
