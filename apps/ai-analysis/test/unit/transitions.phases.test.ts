import { describe, expect, it } from "vitest";
import type { InvestigationFindings } from "../../src/investigation/findings.js";
import {
  beginInvestigation,
  completeAnalysis,
  completeInvestigation,
  completeRecommendations,
  failAnalysis,
  withStatus,
} from "../../src/reconcile/transitions.js";
import { analysis } from "./builders.js";

const t0 = new Date("2025-01-15T10:30:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const findings: InvestigationFindings = {
  rootCauseHypotheses: [{ hypothesis: "memory limit too low", confidence: 0.9, evidence: ["OOMKilled"] }],
  investigationReport: "The container was OOMKilled.",
  recommendations: [
    {
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "api", namespace: null },
      effectivenessEstimate: 0.85,
      rationale: "limit too low",
      parameters: { container: "api" },
    },
    {
      action: "cordon-node",
      targetResource: { kind: "Node", name: "node-1", namespace: "payments" },
      effectivenessEstimate: 0.2,
      rationale: "r",
      parameters: {},
    },
  ],
};

function investigated() {
  const started = withStatus(analysis(), beginInvestigation(analysis(), t0).status);
  return withStatus(started, completeInvestigation(started, findings, "rules", at(2)).status);
}

describe("phase transitions", () => {
  it("starts investigating with the time recorded and audits nothing yet", () => {
    const transition = beginInvestigation(analysis(), t0);
    expect(transition.status).toEqual({
      phase: "investigating",
      phaseTransitions: { investigating: "2025-01-15T10:30:00.000Z" },
      observedGeneration: 1,
    });
    expect(transition.audits).toEqual([]);
  });

  it("moves to analyzing with the findings, candidates ranked by estimate, and an investigation_complete record", () => {
    const started = withStatus(analysis(), beginInvestigation(analysis(), t0).status);
    const transition = completeInvestigation(started, findings, "rules", at(2));
    expect(transition.status.phase).toBe("analyzing");
    expect(transition.status.investigationResult).toMatchObject({
      provider: "rules",
      rootCauseHypotheses: findings.rootCauseHypotheses,
    });
    expect(transition.status.recommendations).toEqual([
      {
        action: "increase-memory-limit",
        description: "limit too low",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
        parameters: { container: "api" },
        effectivenessProbability: 0.85,
        rank: 1,
      },
      {
        action: "cordon-node",
        description: "r",
        targetResource: { kind: "Node", name: "node-1" },
        effectivenessProbability: 0.2,
        rank: 2,
      },
    ]);
    expect(transition.phaseEnded).toEqual({ phase: "investigating", seconds: 2 });
    expect(transition.audits.map((a) => a.trigger)).toEqual(["investigation_complete"]);
  });

  it("moves to recommending with only the valid recommendations, re-ranked, and flags hallucinations", () => {
    const current = investigated();
    const [memory, cordon] = current.status?.recommendations ?? [];
    if (!memory || !cordon) throw new Error("candidates missing");
    const transition = completeAnalysis(
      current,
      { valid: [{ ...cordon }], hallucinated: [{ recommendation: memory, reason: "gone" }] },
      at(3),
    );
    expect(transition.status).toMatchObject({
      phase: "recommending",
      confidenceScore: 0.68,
      hallucinationDetected: true,
      recommendations: [{ action: "cordon-node", rank: 1 }],
    });
    expect(transition.audits.map((a) => a.trigger)).toEqual(["analysis_complete"]);
  });

  it("fails the analysis when no valid recommendation is left, naming each problem", () => {
    const current = investigated();
    const [memory] = current.status?.recommendations ?? [];
    if (!memory) throw new Error("candidates missing");
    const transition = completeAnalysis(
      current,
      {
        valid: [],
        hallucinated: [{ recommendation: memory, reason: "Deployment payments/api does not exist" }],
      },
      at(3),
    );
    expect(transition.status).toMatchObject({
      phase: "failed",
      failedPhase: "analyzing",
      failureReason:
        "no valid recommendation: every recommendation was invalid: Deployment payments/api does not exist",
      hallucinationDetected: true,
      confidenceScore: 0.45,
      recommendations: [],
      phaseTransitions: { failed: "2025-01-15T10:30:03.000Z" },
    });
    expect(transition.audits.map((a) => a.trigger)).toEqual(["analysis_failed"]);
    expect(transition.audits[0]).toMatchObject({ hallucination_detected: true, completion_status: "failed" });
  });

  it("completes with the ranking and the workflow reference, auditing recommendations and workflow", () => {
    const current = investigated();
    const ranked = current.status?.recommendations ?? [];
    const transition = completeRecommendations(current, ranked, { name: "wf", namespace: "payments" }, at(5));
    expect(transition.status).toMatchObject({
      phase: "completed",
      workflowExecutionRef: { name: "wf", namespace: "payments" },
      completedAt: "2025-01-15T10:30:05.000Z",
      phaseTransitions: { completed: "2025-01-15T10:30:05.000Z" },
    });
    expect(transition.audits.map((a) => a.trigger)).toEqual([
      "recommendations_generated",
      "workflow_created",
    ]);
  });

  it("fails from any phase with the reason and the failed phase", () => {
    const started = withStatus(analysis(), beginInvestigation(analysis(), t0).status);
    const transition = failAnalysis(started, "investigating", "provider down", at(9), "timeout");
    expect(transition.status).toMatchObject({
      phase: "failed",
      failedPhase: "investigating",
      failureReason: "provider down",
    });
    expect(transition.audits[0]).toMatchObject({
      trigger: "analysis_failed",
      completion_status: "timeout",
      investigation_duration_ms: 9000,
    });
    expect(transition.phaseEnded).toEqual({ phase: "investigating", seconds: 9 });
  });
});
