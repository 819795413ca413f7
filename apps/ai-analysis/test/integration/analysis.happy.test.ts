import { SimilarInvestigations } from "@kubernaut/schema/contracts";
import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../../src/controller.js";
import { Cluster, mergedRow, runController, suffix } from "./support.js";

describe("AIAnalysis of an OOMKilled pod in production", () => {
  const cluster = new Cluster();
  const namespace = `prod-payments-${suffix()}`;
  let storage: StorageService;
  let controller: RunningController;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace, { environment: "production" });
    controller = await runController(namespace, storage.url);
  });

  afterAll(async () => {
    await controller?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("investigates, analyses, recommends and hands the top action to a WorkflowExecution", async () => {
    const pod = await cluster.oomKilledPod(namespace, "checkout");
    const fingerprint = `fp-oom-${suffix()}`;
    const created = await cluster.createAnalysis(namespace, "checkout-oom", fingerprint, pod);

    const analysis = await cluster.finished(namespace, "checkout-oom");
    const status = analysis.status ?? {};
    expect(status.phase).toBe("completed");
    expect(Object.keys(status.phaseTransitions ?? {}).sort()).toEqual(
      ["analyzing", "completed", "investigating", "recommending"].sort(),
    );
    expect(status.investigationResult?.provider).toBe("rules");
    expect(status.investigationResult?.rootCauseHypotheses[0]?.hypothesis).toBe("memory limit too low");
    expect(status.hallucinationDetected).toBe(false);
    expect(status.confidenceScore).toBe(0.9);
    expect(status.recommendations?.map((r) => r.action)).toEqual(["increase-memory-limit", "restart-pod"]);
    expect(status.recommendations?.[0]?.targetResource).toEqual({
      kind: "Deployment",
      name: "checkout",
      namespace,
    });
    expect(status.workflowExecutionRef).toEqual({ name: "checkout-oom-workflow", namespace });

    const workflow = await cluster.workflows.get({ namespace, name: "checkout-oom-workflow" });
    expect(workflow?.spec).toMatchObject({
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "checkout", namespace },
      parameters: { container: "app", currentLimit: "256Mi", increasePercent: "50" },
      aiAnalysisRef: { name: "checkout-oom", namespace },
      remediationRequestRef: { name: "rr-checkout-oom", namespace },
    });
    expect(workflow?.metadata.ownerReferences).toEqual([
      {
        apiVersion: "kubernaut.ai/v1alpha1",
        kind: "AIAnalysis",
        name: "checkout-oom",
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);

    // The four triggers of a successful analysis land in one merged ai_analysis_audit row.
    const row = await mergedRow(storage.url, fingerprint, (r) => r.workflow_crd_name !== null);
    expect(row).toMatchObject({
      crd_name: "checkout-oom",
      crd_namespace: namespace,
      alert_fingerprint: fingerprint,
      environment: "production",
      severity: "critical",
      remediation_id: "rr-checkout-oom",
      root_cause_count: 1,
      confidence_score: 0.9,
      hallucination_detected: false,
      top_recommendation: "increase-memory-limit",
      effectiveness_probability: 0.85,
      workflow_crd_name: "checkout-oom-workflow",
      workflow_crd_namespace: namespace,
      completion_status: "completed",
      failure_reason: null,
    });
    expect(row.investigation_report).toContain("memory limit too low");
    expect(row.investigation_duration_ms).toBeGreaterThanOrEqual(0);
    expect(row.analysis_duration_ms).toBeGreaterThanOrEqual(0);
    expect(row.recommendations?.map((r) => r.action)).toEqual(["increase-memory-limit", "restart-pod"]);

    // The investigation is stored as an embedding, so the next similar signal can recall it.
    const similar = await waitFor("the investigation embedding", async () => {
      const response = await fetch(`${storage.url}/api/v1/embeddings/investigations/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          text: `signal KubePodOOMKilled ${pod} OOMKilled`,
          k: 5,
          environment: "production",
        }),
      });
      const answer = SimilarInvestigations.parse(await response.json());
      return answer.results.find((r) => r.alert_fingerprint === fingerprint);
    });
    expect(similar).toMatchObject({ root_cause: "memory limit too low", environment: "production" });
    expect(similar.investigation_text).toContain("last OOMKilled");
    expect(similar.investigation_text).toContain("root cause: memory limit too low");
  });

  it("recalls the earlier investigation as evidence for a recurrence", async () => {
    const pod = await cluster.oomKilledPod(namespace, "checkout-v2");
    await cluster.createAnalysis(namespace, "checkout-oom-again", `fp-oom-${suffix()}`, pod);
    const analysis = await cluster.finished(namespace, "checkout-oom-again");
    const top = analysis.status?.investigationResult?.rootCauseHypotheses[0];
    expect(top?.hypothesis).toBe("memory limit too low");
    expect(top?.evidence?.some((e) => e.startsWith("similar past investigation of fp-oom-"))).toBe(true);
    expect(top?.confidence).toBeGreaterThan(0.9);
    expect(analysis.status?.investigationResult?.investigationReport).toContain(
      "Similar past investigations:",
    );
  });

  it("serves its metrics, including the audit publisher's", async () => {
    const response = await fetch(`http://127.0.0.1:${controller.manager.probePort}/metrics`);
    const text = await response.text();
    expect(text).toMatch(/kubernaut_aianalysis_investigations_total\{provider="rules",outcome="success"\} 2/);
    expect(text).toMatch(/kubernaut_aianalysis_phase_duration_seconds_count\{phase="investigating"\} 2/);
    expect(text).toContain("kubernaut_aianalysis_audit_publish_attempts_total");
    expect(text).toMatch(/kubernaut_aianalysis_audit_storage_reachable 1/);
    expect((await fetch(`http://127.0.0.1:${controller.manager.probePort}/readyz`)).status).toBe(200);
  });
});
