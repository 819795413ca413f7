import { RemediationOrchestrationAudit } from "@kubernaut/schema/contracts";
import { describe, expect, it } from "vitest";
import { buildOrchestrationAudit } from "../../src/audit-record.js";
import { phaseEventId } from "../../src/event-id.js";
import { collectCRDStatuses } from "../../src/snapshots.js";
import {
  analysisChild,
  at,
  completedProcessing,
  processingChild,
  request,
  T0,
  workflowChild,
} from "./fixtures.js";

describe("collectCRDStatuses", () => {
  it("snapshots each child as seed 003 does", () => {
    const statuses = collectCRDStatuses({
      processing: completedProcessing(),
      analysis: analysisChild({ phase: "failed", failureReason: "model unavailable" }),
      workflow: workflowChild({ phase: "running" }),
    });
    expect(statuses).toEqual({
      remediationProcessing: {
        phase: "completed",
        startTime: T0,
        completionTime: "2025-01-15T10:00:05Z",
        success: true,
      },
      aiAnalysis: { phase: "failed", startTime: T0, success: false, error: "model unavailable" },
      workflowExecution: { phase: "running", startTime: T0, success: false },
    });
  });

  it("leaves out children that do not exist, and shows an unstarted child's empty phase", () => {
    expect(collectCRDStatuses({ processing: processingChild() })).toEqual({
      remediationProcessing: { phase: "", startTime: T0, success: false },
    });
    expect(collectCRDStatuses({})).toEqual({});
  });
});

describe("buildOrchestrationAudit", () => {
  it("builds a valid record of a completed remediation with all children", () => {
    const rr = request({
      phase: "completed",
      startTime: T0,
      completedAt: at(60).toISOString(),
      retentionExpiryTime: at(86_460).toISOString(),
      remediationProcessingRef: { name: "rr-1-processing", namespace: "kubernaut-system" },
      aiAnalysisRef: { name: "rr-1-analysis", namespace: "kubernaut-system" },
      workflowExecutionRef: { name: "rr-1-workflow", namespace: "kubernaut-system" },
      duplicateCount: 1,
      lastDuplicateTime: at(30).toISOString(),
    });
    const eventId = phaseEventId("uid-rr-1", "completed");
    const record = buildOrchestrationAudit(
      rr,
      {
        processing: completedProcessing(),
        analysis: analysisChild({ phase: "completed" }),
        workflow: workflowChild({ phase: "completed" }),
      },
      { eventId, now: at(61) },
    );
    expect(RemediationOrchestrationAudit.parse(record)).toBeTruthy();
    expect(record).toMatchObject({
      event_id: eventId,
      alert_fingerprint: "mem-pressure-prod-123",
      remediation_name: "rr-1",
      overall_phase: "completed",
      start_time: T0,
      completion_time: at(60).toISOString(),
      remediation_processing_name: "rr-1-processing",
      ai_analysis_name: "rr-1-analysis",
      workflow_execution_name: "rr-1-workflow",
      duplicate_count: 1,
      last_duplicate_time: at(30).toISOString(),
      retention_expiry_time: at(86_460).toISOString(),
      signal_name: "PodOOMKilled",
      target_namespace: "payments",
    });
    expect(Object.keys(record.service_crd_statuses ?? {})).toEqual([
      "remediationProcessing",
      "aiAnalysis",
      "workflowExecution",
    ]);
    expect(record.failure_phase).toBeUndefined();
  });

  it("names no target namespace for a cluster-scoped target", () => {
    const rr = request({ phase: "processing", startTime: T0 });
    rr.spec.targetResource = { kind: "Node", name: "worker-1" };
    const record = buildOrchestrationAudit(rr, {}, { eventId: phaseEventId("x", "processing"), now: at(1) });
    expect(record).toMatchObject({ signal_name: "PodOOMKilled" });
    expect(record).not.toHaveProperty("target_namespace");
  });

  it("carries the failure phase and reason of a failed remediation", () => {
    const rr = request({
      phase: "failed",
      startTime: T0,
      completedAt: at(10).toISOString(),
      failedPhase: "analyzing",
      errorMessage: "AI analysis failed: boom",
    });
    const record = buildOrchestrationAudit(
      rr,
      {},
      { eventId: phaseEventId("uid-rr-1", "failed"), now: at(10) },
    );
    expect(RemediationOrchestrationAudit.parse(record)).toBeTruthy();
    expect(record).toMatchObject({ failure_phase: "analyzing", failure_reason: "AI analysis failed: boom" });
  });

  it("carries the timeout phase and time, and no completion time while running", () => {
    const timedOut = request({
      phase: "timeout",
      startTime: T0,
      completedAt: at(300).toISOString(),
      timeoutPhase: "executing",
      timeoutTime: at(300).toISOString(),
    });
    const record = buildOrchestrationAudit(
      timedOut,
      {},
      { eventId: phaseEventId("x", "timeout"), now: at(300) },
    );
    expect(RemediationOrchestrationAudit.parse(record)).toBeTruthy();
    expect(record).toMatchObject({ timeout_phase: "executing", timeout_time: at(300).toISOString() });

    const running = buildOrchestrationAudit(
      request({ phase: "processing", startTime: T0 }),
      {},
      { eventId: phaseEventId("x", "processing"), now: at(1), deletedAt: at(1).toISOString() },
    );
    expect(running.completion_time).toBeUndefined();
    expect(running.deleted_at).toBe(at(1).toISOString());
    expect(RemediationOrchestrationAudit.parse(running)).toBeTruthy();
  });
});
