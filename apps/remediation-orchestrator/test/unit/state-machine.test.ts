import { remediationRequestStatusSchema } from "@kubernaut/crds";
import { describe, expect, it } from "vitest";
import { phaseEventId } from "../../src/event-id.js";
import { decide } from "../../src/state-machine.js";
import {
  analysisChild,
  at,
  completedProcessing,
  processingChild,
  request,
  settings,
  T0,
  workflowChild,
} from "./fixtures.js";

describe("decide: the happy path", () => {
  it("starts a new request in pending at its creation time", () => {
    const d = decide(request(), {}, at(1), settings);
    expect(d).toEqual({
      to: "pending",
      status: { phase: "pending", phaseTransitions: { pending: at(1).toISOString() }, startTime: T0 },
    });
  });

  it("creates the RemediationProcessing and moves to processing", () => {
    const d = decide(request({ phase: "pending", startTime: T0 }), {}, at(1), settings);
    expect(d.to).toBe("processing");
    expect(d.create?.kind).toBe("RemediationProcessing");
    expect(d.create?.object.metadata.name).toBe("rr-1-processing");
    expect(d.create?.object.metadata.ownerReferences).toEqual([
      {
        apiVersion: "kubernaut.ai/v1alpha1",
        kind: "RemediationRequest",
        name: "rr-1",
        uid: "uid-rr-1",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(d.status?.remediationProcessingRef).toEqual({
      name: "rr-1-processing",
      namespace: "kubernaut-system",
    });
  });

  it("waits for processing, waking at the phase deadline", () => {
    const rr = request({
      phase: "processing",
      startTime: T0,
      phaseTransitions: { processing: at(10).toISOString() },
    });
    const d = decide(rr, { processing: processingChild({ phase: "enriching" }) }, at(20), settings);
    expect(d).toEqual({ requeueAfterMs: 50_000 });
  });

  it("hands processing's results to a new AIAnalysis", () => {
    const rr = request({ phase: "processing", startTime: T0, phaseTransitions: { processing: T0 } });
    const d = decide(rr, { processing: completedProcessing() }, at(5), settings);
    expect(d.to).toBe("analyzing");
    expect(d.create?.kind).toBe("AIAnalysis");
    expect(d.create?.object.spec).toMatchObject({
      analysisRequest: {
        alertContext: {
          fingerprint: "mem-pressure-prod-123",
          environment: "production",
          businessPriority: "P0",
          enrichmentSummary: {
            enrichmentQuality: 0.75,
            contextSizeBytes: 900,
            namespaceLabels: { environment: "production" },
          },
        },
      },
    });
    expect(d.status?.aiAnalysisRef?.name).toBe("rr-1-analysis");
  });

  it("follows the WorkflowExecution that AI analysis names", () => {
    const rr = request({ phase: "analyzing", startTime: T0, phaseTransitions: { analyzing: T0 } });
    const analysis = analysisChild({
      phase: "completed",
      workflowExecutionRef: { name: "rr-1-workflow", namespace: "kubernaut-system" },
    });
    const d = decide(rr, { analysis }, at(30), settings);
    expect(d).toMatchObject({ to: "executing", status: { workflowExecutionRef: { name: "rr-1-workflow" } } });
  });

  it("finds the workflow pointing back at the request when AI analysis does not name it", () => {
    const rr = request({ phase: "analyzing", startTime: T0, phaseTransitions: { analyzing: T0 } });
    const d = decide(
      rr,
      { analysis: analysisChild({ phase: "completed" }), workflow: workflowChild() },
      at(30),
      settings,
    );
    expect(d.status?.workflowExecutionRef).toEqual({ name: "rr-1-workflow", namespace: "kubernaut-system" });
  });

  it("waits when AI analysis completed without any workflow yet", () => {
    const rr = request({ phase: "analyzing", startTime: T0, phaseTransitions: { analyzing: T0 } });
    expect(decide(rr, { analysis: analysisChild({ phase: "completed" }) }, at(30), settings)).toEqual({
      requeueAfterMs: 90_000,
    });
  });

  it("completes with retention expiry and the final record's event id when the workflow completes", () => {
    const rr = request({ phase: "executing", startTime: T0, phaseTransitions: { executing: T0 } });
    const d = decide(rr, { workflow: workflowChild({ phase: "completed" }) }, at(60), settings);
    expect(d.to).toBe("completed");
    expect(remediationRequestStatusSchema.parse(d.status)).toEqual(d.status);
    expect(d.status).toMatchObject({
      phase: "completed",
      completedAt: at(60).toISOString(),
      retentionExpiryTime: new Date(at(60).getTime() + 24 * 3600_000).toISOString(),
      auditRecorded: false,
    });
    expect(d.status?.conditions?.[0]?.message).toContain(phaseEventId("uid-rr-1", "completed"));
  });
});

describe("decide: failures", () => {
  it.each([
    [
      "processing",
      { processing: processingChild({ phase: "failed", errorMessage: "no context" }) },
      "remediation processing failed: no context",
    ],
    [
      "analyzing",
      { analysis: analysisChild({ phase: "failed", failureReason: "investigator down" }) },
      "AI analysis failed: investigator down",
    ],
    [
      "executing",
      { workflow: workflowChild({ phase: "failed", message: "rollout stuck" }) },
      "workflow execution failed: rollout stuck",
    ],
  ] as const)(
    "a failed child in %s fails the request with that phase and the child's reason",
    (phase, children, message) => {
      const rr = request({ phase, startTime: T0, phaseTransitions: { [phase]: T0 } });
      const d = decide(rr, children, at(10), settings);
      expect(d).toMatchObject({
        to: "failed",
        status: { phase: "failed", failedPhase: phase, errorMessage: message },
      });
    },
  );

  it("re-creates a child that disappeared, without changing phase", () => {
    const rr = request({ phase: "processing", startTime: T0, phaseTransitions: { processing: T0 } });
    const d = decide(rr, {}, at(10), settings);
    expect(d.to).toBeUndefined();
    expect(d.create?.object.metadata.name).toBe("rr-1-processing");
    expect(d.requeueAfterMs).toBe(50_000);
  });
});

describe("decide: timeouts", () => {
  it("times out the phase at its deadline, recording phase and time", () => {
    const rr = request({ phase: "processing", startTime: T0, phaseTransitions: { processing: T0 } });
    const d = decide(rr, { processing: processingChild({ phase: "enriching" }) }, at(60), settings);
    expect(d).toMatchObject({
      to: "timeout",
      status: { phase: "timeout", timeoutPhase: "processing", timeoutTime: at(60).toISOString() },
    });
  });

  it("times out on the overall deadline even when the phase has time left", () => {
    const rr = request({
      phase: "executing",
      startTime: T0,
      phaseTransitions: { executing: at(500).toISOString() },
    });
    const d = decide(rr, { workflow: workflowChild({ phase: "running" }) }, at(600), settings);
    expect(d.status).toMatchObject({ phase: "timeout", timeoutPhase: "executing" });
  });

  it("lets a child that finished win over a deadline that passed meanwhile", () => {
    const rr = request({ phase: "processing", startTime: T0, phaseTransitions: { processing: T0 } });
    expect(decide(rr, { processing: completedProcessing() }, at(61), settings).to).toBe("analyzing");
  });

  it("takes per-request timeouts from the spec", () => {
    const rr = request({ phase: "processing", startTime: T0, phaseTransitions: { processing: T0 } });
    rr.spec.timeouts = { processing: "5s" };
    expect(decide(rr, { processing: processingChild() }, at(5), settings).to).toBe("timeout");
  });
});

describe("decide: finished requests", () => {
  it("does nothing for terminal or duplicate requests", () => {
    for (const phase of ["completed", "failed", "timeout"] as const) {
      expect(decide(request({ phase }), {}, at(1), settings)).toEqual({});
    }
    expect(decide(request({ duplicateOf: "rr-0" }), {}, at(1), settings)).toEqual({});
  });
});
