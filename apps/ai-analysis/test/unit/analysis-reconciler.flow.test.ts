import { AuditRecord } from "@kubernaut/schema/contracts";
import { describe, expect, it } from "vitest";
import { InvestigationProviderError } from "../../src/investigation/findings.js";
import { AnalysisReconciler } from "../../src/reconcile/analysis-reconciler.js";
import { analysis } from "./builders.js";
import { fixedProvider, flakyProvider, harness } from "./fakes.js";

const key = { namespace: "payments", name: "rr-payments-api-analysis" };

describe("AIAnalysis reconcile flow", () => {
  it("takes an OOMKilled pod from nothing to completed with a WorkflowExecution and four audit records", async () => {
    const h = harness(analysis(), {
      history: { "increase-memory-limit": { successRate: 0.9, sampleCount: 10 } },
    });
    expect(await new AnalysisReconciler(h.deps).reconcile(key)).toEqual({});

    const stored = await h.analyses.get(key);
    expect(stored?.status).toMatchObject({
      phase: "completed",
      confidenceScore: 0.9,
      hallucinationDetected: false,
      workflowExecutionRef: { name: "rr-payments-api-analysis-workflow", namespace: "payments" },
    });
    expect(Object.keys(stored?.status?.phaseTransitions ?? {})).toEqual([
      "investigating",
      "analyzing",
      "recommending",
      "completed",
    ]);
    expect(stored?.status?.recommendations?.[0]).toMatchObject({
      action: "increase-memory-limit",
      effectivenessProbability: 0.88,
      historicalSuccessRate: 0.9,
      rank: 1,
    });
    expect(h.analyses.statusWrites).toBe(4);

    const workflow = h.workflows.objects.get("payments/rr-payments-api-analysis-workflow");
    expect(workflow?.spec).toMatchObject({
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      aiAnalysisRef: { name: "rr-payments-api-analysis", namespace: "payments" },
      remediationRequestRef: { name: "rr-payments-api", namespace: "payments" },
    });
    expect(workflow?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "AIAnalysis",
      uid: "6b1f3a8e-2c47-4d9b-9e2a-0f5c3d7e1a90",
      controller: true,
    });

    expect(h.audits.map((a) => a.trigger)).toEqual([
      "investigation_complete",
      "analysis_complete",
      "recommendations_generated",
      "workflow_created",
    ]);
    for (const record of h.audits) AuditRecord.parse(record);
    expect(h.remembered).toEqual(["memory limit too low"]);
    expect(await h.registry.getSingleMetricAsString("kubernaut_aianalysis_investigations_total")).toContain(
      'provider="rules",outcome="success"} 1',
    );
  });

  it("does nothing more when reconciled again after completing", async () => {
    const h = harness(analysis());
    const reconciler = new AnalysisReconciler(h.deps);
    await reconciler.reconcile(key);
    const writes = h.analyses.statusWrites;
    await reconciler.reconcile(key);
    expect(h.analyses.statusWrites).toBe(writes);
    expect(h.audits).toHaveLength(4);
    expect(h.workflows.creates).toBe(1);
  });

  it("resumes at the recorded phase after a failed write, without repeating earlier phases' audits", async () => {
    const h = harness(analysis());
    const reconciler = new AnalysisReconciler(h.deps);
    // investigating → analyzing is stored, analyzing → recommending fails.
    const patch = h.analyses.patchStatus.bind(h.analyses);
    let writes = 0;
    h.analyses.patchStatus = async (k, s) => {
      if (++writes === 3) h.analyses.failNextStatusWrite = true;
      return patch(k, s);
    };
    await expect(reconciler.reconcile(key)).rejects.toThrow(/500/);
    expect((await h.analyses.get(key))?.status?.phase).toBe("analyzing");
    expect(h.audits.map((a) => a.trigger)).toEqual(["investigation_complete"]);

    await reconciler.reconcile(key);
    expect((await h.analyses.get(key))?.status?.phase).toBe("completed");
    expect(h.audits.map((a) => a.trigger)).toEqual([
      "investigation_complete",
      "analysis_complete",
      "recommendations_generated",
      "workflow_created",
    ]);
  });

  it("adopts the WorkflowExecution an interrupted earlier attempt created, putting its action first", async () => {
    const h = harness(analysis(), {
      history: { "restart-pod": { successRate: 1, sampleCount: 40 } },
    });
    await h.deps.workflows.create({
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "WorkflowExecution",
      metadata: {
        name: "rr-payments-api-analysis-workflow",
        namespace: "payments",
        ownerReferences: [
          {
            apiVersion: "kubernaut.ai/v1alpha1",
            kind: "AIAnalysis",
            name: "x",
            uid: "6b1f3a8e-2c47-4d9b-9e2a-0f5c3d7e1a90",
            controller: true,
          },
        ],
      },
      spec: {
        remediationRequestRef: { name: "rr-payments-api", namespace: "payments" },
        aiAnalysisRef: { name: "rr-payments-api-analysis", namespace: "payments" },
        action: "increase-memory-limit",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      },
    });
    await new AnalysisReconciler(h.deps).reconcile(key);
    const stored = await h.analyses.get(key);
    expect(stored?.status?.phase).toBe("completed");
    expect(stored?.status?.recommendations?.map((r) => [r.action, r.rank])).toEqual([
      ["increase-memory-limit", 1],
      ["restart-pod", 2],
    ]);
  });

  it("fails rather than adopt a WorkflowExecution of the same name that another object owns", async () => {
    const h = harness(analysis());
    h.workflows.objects.set("payments/rr-payments-api-analysis-workflow", {
      apiVersion: "kubernaut.ai/v1alpha1",
      kind: "WorkflowExecution",
      metadata: { name: "rr-payments-api-analysis-workflow", namespace: "payments" },
      spec: {
        remediationRequestRef: { name: "other", namespace: "payments" },
        aiAnalysisRef: { name: "other", namespace: "payments" },
        action: "restart-pod",
        targetResource: { kind: "Pod", name: "p", namespace: "payments" },
      },
    });
    await new AnalysisReconciler(h.deps).reconcile(key);
    expect((await h.analyses.get(key))?.status).toMatchObject({
      phase: "failed",
      failedPhase: "recommending",
      failureReason: expect.stringMatching(/already exists and belongs to another object/),
    });
  });

  it("publishes again, once, the records of an analysis a previous process finished", async () => {
    const h = harness(analysis());
    await new AnalysisReconciler(h.deps).reconcile(key);
    const first = h.audits.splice(0);
    expect(first).toHaveLength(4);

    const restarted = new AnalysisReconciler(h.deps);
    await restarted.reconcile(key);
    await restarted.reconcile(key);
    expect(h.audits).toEqual(first);
    expect(h.analyses.statusWrites).toBe(4);
  });

  it("replays a failure with its completion status", async () => {
    const provider = flakyProvider(99, new InvestigationProviderError("timeout", "no answer"));
    const h = harness(analysis(), { provider });
    h.deps.retry = { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };
    await new AnalysisReconciler(h.deps).reconcile(key);
    const [failed] = h.audits.splice(0);
    expect(failed).toMatchObject({ trigger: "analysis_failed", completion_status: "timeout" });

    await new AnalysisReconciler(h.deps).reconcile(key);
    expect(h.audits).toEqual([failed]);
  });

  it("retries a failing provider with backoff, counting attempts on the object, then succeeds", async () => {
    const provider = flakyProvider(2, new InvestigationProviderError("unavailable", "answered 503"));
    const h = harness(analysis(), { provider });
    const reconciler = new AnalysisReconciler(h.deps);
    const status = async () => (await h.analyses.get(key))?.status ?? {};

    expect(await reconciler.reconcile(key)).toEqual({ requeueAfter: 1000 });
    expect((await status()).investigationAttempts).toBe(1);
    expect(Date.parse((await status()).nextInvestigationTime ?? "")).toBe(h.clock.now.getTime() + 1000);

    // Reconciled again at once (the status write is itself a change): it waits out the backoff.
    const early = await reconciler.reconcile(key);
    expect(early.requeueAfter).toBeGreaterThan(0);
    expect(early.requeueAfter).toBeLessThanOrEqual(1000);
    expect(provider.calls).toBe(1);

    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    expect(await reconciler.reconcile(key)).toEqual({ requeueAfter: 2000 });
    expect((await status()).investigationAttempts).toBe(2);
    h.clock.now = new Date(h.clock.now.getTime() + 2000);
    expect(await reconciler.reconcile(key)).toEqual({});
    expect((await h.analyses.get(key))?.status?.phase).toBe("completed");
    expect(provider.calls).toBe(3);
    expect(h.audits.some((a) => a.trigger === "analysis_failed")).toBe(false);
  });

  it("fails the analysis with the reason once the attempts are used up", async () => {
    const provider = flakyProvider(
      99,
      new InvestigationProviderError("timeout", "no answer within 30000 ms"),
    );
    const h = harness(analysis(), { provider });
    const reconciler = new AnalysisReconciler(h.deps);
    const later = () => {
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    };
    await reconciler.reconcile(key);
    later();
    await reconciler.reconcile(key);
    later();
    expect(await reconciler.reconcile(key)).toEqual({});
    expect(provider.calls).toBe(3);
    expect((await h.analyses.get(key))?.status).toMatchObject({
      phase: "failed",
      failedPhase: "investigating",
      failureReason: "investigation failed after 3 attempts: no answer within 30000 ms",
    });
    expect(h.audits.map((a) => [a.trigger, a.completion_status])).toEqual([["analysis_failed", "timeout"]]);
    await reconciler.reconcile(key);
    expect(provider.calls).toBe(3);
  });

  it("fails at once on an error that retrying cannot fix", async () => {
    const provider = flakyProvider(99, new InvestigationProviderError("rejected", "answered 401"));
    const h = harness(analysis(), { provider });
    expect(await new AnalysisReconciler(h.deps).reconcile(key)).toEqual({});
    expect((await h.analyses.get(key))?.status?.failureReason).toBe(
      "investigation failed (not retryable): answered 401",
    );
  });

  it("drops a hallucinated recommendation, flags it, and acts on the valid one", async () => {
    const provider = fixedProvider({
      rootCauseHypotheses: [{ hypothesis: "memory limit too low", confidence: 0.8, evidence: [] }],
      investigationReport: "report",
      recommendations: [
        {
          action: "increase-memory-limit",
          targetResource: { kind: "Deployment", name: "api-v2", namespace: "payments" },
          effectivenessEstimate: 0.9,
          rationale: "r",
          parameters: {},
        },
        {
          action: "restart-pod",
          targetResource: { kind: "Pod", name: "api-7d9f-abcde", namespace: null },
          effectivenessEstimate: 0.4,
          rationale: "r",
          parameters: {},
        },
      ],
    });
    const h = harness(analysis(), { provider });
    await new AnalysisReconciler(h.deps).reconcile(key);
    const stored = await h.analyses.get(key);
    expect(stored?.status).toMatchObject({
      phase: "completed",
      hallucinationDetected: true,
      confidenceScore: 0.6,
    });
    expect(stored?.status?.recommendations?.map((r) => r.action)).toEqual(["restart-pod"]);
    expect(h.workflows.objects.get("payments/rr-payments-api-analysis-workflow")?.spec.action).toBe(
      "restart-pod",
    );
    expect(h.audits.find((a) => a.trigger === "analysis_complete")?.hallucination_detected).toBe(true);
    expect(await h.registry.getSingleMetricAsString("kubernaut_aianalysis_hallucinations_total")).toMatch(
      / 1$/m,
    );
  });

  it("fails when every recommendation is hallucinated", async () => {
    const provider = fixedProvider({
      rootCauseHypotheses: [{ hypothesis: "h", confidence: 0.8, evidence: [] }],
      investigationReport: "report",
      recommendations: [
        {
          action: "reboot-cluster",
          targetResource: { kind: "Node", name: "node-1", namespace: null },
          effectivenessEstimate: 0.9,
          rationale: "r",
          parameters: {},
        },
      ],
    });
    const h = harness(analysis(), { provider });
    await new AnalysisReconciler(h.deps).reconcile(key);
    expect((await h.analyses.get(key))?.status).toMatchObject({
      phase: "failed",
      failedPhase: "analyzing",
      hallucinationDetected: true,
      failureReason:
        'no valid recommendation: every recommendation was invalid: action "reboot-cluster" is not in the action catalog',
    });
    expect(h.audits.map((a) => a.trigger)).toEqual(["investigation_complete", "analysis_failed"]);
    expect(h.workflows.creates).toBe(0);
  });

  it("ranks on history: a well-tried action overtakes the estimated best one", async () => {
    const h = harness(analysis(), {
      history: {
        "increase-memory-limit": { successRate: 0, sampleCount: 10 },
        "restart-pod": { successRate: 1, sampleCount: 10 },
      },
    });
    await new AnalysisReconciler(h.deps).reconcile(key);
    const stored = await h.analyses.get(key);
    expect(stored?.status?.recommendations?.map((r) => r.action)).toEqual([
      "restart-pod",
      "increase-memory-limit",
    ]);
    expect(h.workflows.objects.get("payments/rr-payments-api-analysis-workflow")?.spec.action).toBe(
      "restart-pod",
    );
    expect(h.audits.find((a) => a.trigger === "recommendations_generated")).toMatchObject({
      top_recommendation: "restart-pod",
      historical_success_rate: 1,
    });
  });
});
