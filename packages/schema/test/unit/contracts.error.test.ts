import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import { describe, expect, it } from "vitest";
import {
  AIAnalysisAuditEvent,
  BatchRequest,
  fieldErrors,
  RemediationOrchestrationAudit,
  RemediationProcessingAudit,
  SearchInvestigations,
} from "../../src/index.js";

function errorsOf(result: { success: boolean; error?: { issues: unknown[] } }) {
  expect(result.success).toBe(false);
  return fieldErrors((result.error?.issues ?? []) as Parameters<typeof fieldErrors>[0]);
}

describe("wire contracts reject wrong input with field-level messages", () => {
  it("names each wrong field of an orchestration record", () => {
    const errors = errorsOf(
      RemediationOrchestrationAudit.safeParse({
        ...goRemediationOrchestrationAudit,
        start_time: "0001-01-01T00:00:00Z",
        duplicate_count: "3",
        alert_fingerprint: "x".repeat(65),
      }),
    );
    expect(errors.map((e) => e.path).sort()).toEqual(["alert_fingerprint", "duplicate_count", "start_time"]);
    expect(errors.find((e) => e.path === "start_time")?.message).toMatch(/must be set/);
  });

  it("refuses unknown fields rather than dropping them silently", () => {
    const errors = errorsOf(
      RemediationOrchestrationAudit.safeParse({ ...goRemediationOrchestrationAudit, phase: "x" }),
    );
    expect(errors[0]?.message).toMatch(/phase/);
  });

  it("names a bad duration inside a phase", () => {
    const phases = [{ ...goRemediationProcessingAudit.processing_phases[0], duration: "2.5 seconds" }];
    const errors = errorsOf(
      RemediationProcessingAudit.safeParse({ ...goRemediationProcessingAudit, processing_phases: phases }),
    );
    expect(errors.map((e) => e.path)).toContain("processing_phases.0.duration");
  });

  it("requires what each AI analysis trigger carries", () => {
    const errors = errorsOf(
      AIAnalysisAuditEvent.safeParse({ ...goAIAnalysisInvestigationComplete, trigger: "analysis_failed" }),
    );
    expect(errors).toEqual([{ path: "failure_reason", message: expect.stringMatching(/analysis_failed/) }]);
    expect(
      errorsOf(AIAnalysisAuditEvent.safeParse({ ...goAIAnalysisInvestigationComplete, trigger: "done" }))[0]
        ?.path,
    ).toBe("trigger");
  });

  it("gives per-index errors in a batch, with an unknown kind named", () => {
    const errors = errorsOf(
      BatchRequest.safeParse({
        records: [
          { kind: "remediation-orchestration", ...goRemediationOrchestrationAudit },
          { kind: "alert-processing", ...goRemediationProcessingAudit, status: 7 },
          { kind: "ai-analysis", ...goAIAnalysisInvestigationComplete, trigger: "workflow_created" },
          { kind: "unknown" },
        ],
      }),
    );
    expect(errors.map((e) => e.path)).toEqual([
      "records.1.status",
      "records.2.workflow_crd_name",
      "records.3.kind",
    ]);
  });

  it("rejects an empty batch and a search without a query", () => {
    expect(errorsOf(BatchRequest.safeParse({ records: [] }))[0]?.path).toBe("records");
    expect(errorsOf(SearchInvestigations.safeParse({ k: 5 }))[0]?.message).toMatch(
      /exactly one of text or vector/,
    );
    expect(errorsOf(SearchInvestigations.safeParse({ vector: [1, 2, 3] }))[0]?.message).toMatch(/1536/);
  });
});
