import { describe, expect, it } from "vitest";
import { buildOrchestrationAudit } from "../../src/audit-record.js";
import { impliedRecords } from "../../src/audit-replay.js";
import { duplicatesEventId, phaseEventId } from "../../src/event-id.js";
import { analysisChild, at, completedProcessing, request, T0, workflowChild } from "./fixtures.js";

const ns = "kubernaut-system";
const children = {
  processing: completedProcessing(),
  analysis: analysisChild({ phase: "completed" }),
  workflow: workflowChild({ phase: "completed" }),
};

describe("impliedRecords", () => {
  it("implies nothing for a request that has not started, or a duplicate", () => {
    expect(impliedRecords(request(), {})).toEqual([]);
    expect(impliedRecords(request({ duplicateOf: "rr-0", duplicateCount: 0 }), {})).toEqual([]);
  });

  it("implies one record per phase entered, each as the status read in that phase", () => {
    const rr = request({
      phase: "failed",
      startTime: T0,
      phaseTransitions: {
        pending: T0,
        processing: at(1).toISOString(),
        analyzing: at(5).toISOString(),
        executing: at(9).toISOString(),
        failed: at(30).toISOString(),
      },
      remediationProcessingRef: { name: "rr-1-processing", namespace: ns },
      aiAnalysisRef: { name: "rr-1-analysis", namespace: ns },
      workflowExecutionRef: { name: "rr-1-workflow", namespace: ns },
      failedPhase: "executing",
      errorMessage: "workflow execution failed: rollout stuck",
      completedAt: at(30).toISOString(),
      duplicateCount: 2,
    });
    const implied = impliedRecords(rr, children);
    expect(implied.map((r) => r.eventId)).toEqual([
      ...["pending", "processing", "analyzing", "executing", "failed"].map((p) =>
        phaseEventId("uid-rr-1", p),
      ),
      duplicatesEventId("uid-rr-1", 2),
    ]);
    const records = implied.map((r) =>
      buildOrchestrationAudit(r.rr, r.children, { eventId: r.eventId, now: new Date(r.occurredAt ?? 0) }),
    );
    expect(records.map((r) => [r.overall_phase, r.occurred_at])).toEqual([
      ["pending", T0],
      ["processing", at(1).toISOString()],
      ["analyzing", at(5).toISOString()],
      ["executing", at(9).toISOString()],
      ["failed", at(30).toISOString()],
      ["failed", new Date(0).toISOString()],
    ]);
    expect(records[0]).not.toHaveProperty("remediation_processing_name");
    expect(records[0]?.service_crd_statuses).toEqual({});
    expect(records[1]).toMatchObject({ remediation_processing_name: "rr-1-processing" });
    expect(records[1]).not.toHaveProperty("ai_analysis_name");
    expect(Object.keys(records[2]?.service_crd_statuses ?? {})).toEqual([
      "remediationProcessing",
      "aiAnalysis",
    ]);
    expect(records[3]).not.toHaveProperty("failure_phase");
    expect(records[3]).not.toHaveProperty("completion_time");
    expect(records[4]).toMatchObject({
      failure_phase: "executing",
      failure_reason: "workflow execution failed: rollout stuck",
      completion_time: at(30).toISOString(),
      workflow_execution_name: "rr-1-workflow",
    });
  });
});
