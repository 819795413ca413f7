import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningOrchestrator } from "../../src/controller.js";
import { phaseEventId } from "../../src/event-id.js";
import { Cluster, runOrchestrator, StorageReader, suffix } from "./support.js";

describe("orchestrator phases on a real API server and storage service", () => {
  const cluster = new Cluster();
  const namespace = `orchestrate-${suffix()}`;
  const timeoutNamespace = `orchestrate-timeout-${suffix()}`;
  let storage: StorageService;
  let reader: StorageReader;
  let orchestrator: RunningOrchestrator;
  let shortTimeouts: RunningOrchestrator;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    reader = new StorageReader(storage.url);
    await cluster.namespace(namespace);
    await cluster.namespace(timeoutNamespace);
    orchestrator = await runOrchestrator(namespace, storage.url);
    shortTimeouts = await runOrchestrator(timeoutNamespace, storage.url, { PHASE_TIMEOUT_PROCESSING: "2s" });
  });

  afterAll(async () => {
    await orchestrator?.stop();
    await shortTimeouts?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
    await cluster.deleteNamespace(timeoutNamespace);
  });

  it("carries a request through its children to completed and audits every phase", async () => {
    const fingerprint = `oom-${suffix()}`;
    const created = await cluster.createRequest(namespace, "rr-happy", fingerprint);
    const processing = await cluster.inPhase(namespace, "rr-happy", "processing");
    expect(processing.metadata.finalizers).toContain("kubernaut.ai/audit-finalizer");
    expect(processing.metadata.labels?.["kubernaut.ai/fingerprint"]).toBe(fingerprint);

    const rp = await waitFor("the RemediationProcessing", () =>
      cluster.processings.get({ namespace, name: "rr-happy-processing" }),
    );
    expect(rp.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: "RemediationRequest",
        name: "rr-happy",
        uid: created.metadata.uid,
        controller: true,
      }),
    ]);
    expect(rp.spec.signal).toMatchObject({ fingerprint, severity: "critical", environment: "production" });

    await cluster.completeProcessing(namespace, "rr-happy");
    await cluster.inPhase(namespace, "rr-happy", "analyzing");
    const analysis = await cluster.analyses.get({ namespace, name: "rr-happy-analysis" });
    expect(analysis?.spec.analysisRequest.alertContext).toMatchObject({
      fingerprint,
      environment: "production",
      businessPriority: "P0",
      enrichmentSummary: { enrichmentQuality: 1, contextSizeBytes: 2048 },
    });
    expect(analysis?.spec.analysisRequest.alertContext.enrichmentSummary?.summary).toContain("OOMKilled");

    await cluster.completeAnalysis(namespace, "rr-happy");
    const executing = await cluster.inPhase(namespace, "rr-happy", "executing");
    expect(executing.status?.workflowExecutionRef).toEqual({ name: "rr-happy-workflow", namespace });

    await cluster.finishWorkflow(namespace, "rr-happy");
    const done = await cluster.inPhase(namespace, "rr-happy", "completed");
    expect(Object.keys(done.status?.phaseTransitions ?? {}).sort()).toEqual([
      "analyzing",
      "completed",
      "executing",
      "pending",
      "processing",
    ]);
    expect(done.status?.retentionExpiryTime).toBeDefined();

    const row = await reader.row(fingerprint, (r) => r.overall_phase === "completed");
    expect(await reader.remediationRows(fingerprint)).toHaveLength(1);
    expect(row).toMatchObject({
      remediation_name: "rr-happy",
      alert_processing_name: "rr-happy-processing",
      ai_analysis_name: "rr-happy-analysis",
      workflow_execution_name: "rr-happy-workflow",
      failure_phase: null,
      duplicate_count: 0,
    });
    expect(row.completion_time).not.toBeNull();
    expect(row.retention_expiry_time).not.toBeNull();
    expect(row.service_crd_statuses).toMatchObject({
      remediationProcessing: { phase: "completed", success: true },
      aiAnalysis: { phase: "completed", success: true },
      workflowExecution: { phase: "completed", success: true },
    });

    const events = await reader.timeline(fingerprint);
    expect(events.map((e) => e.event_id)).toEqual(
      ["pending", "processing", "analyzing", "executing", "completed"].map((p) =>
        phaseEventId(created.metadata.uid ?? "", p),
      ),
    );
    const confirmed = await waitFor("the final record to be confirmed", async () => {
      const rr = await cluster.request(namespace, "rr-happy");
      return rr?.status?.auditRecorded ? rr : undefined;
    });
    expect(confirmed.status?.conditions?.find((c) => c.type === "AuditRecorded")).toMatchObject({
      status: "True",
      reason: "Stored",
    });
  });

  it("fails the request when a child fails, with the phase and the child's reason", async () => {
    const fingerprint = `fail-${suffix()}`;
    await cluster.createRequest(namespace, "rr-fail", fingerprint);
    await cluster.inPhase(namespace, "rr-fail", "processing");
    await cluster.failProcessing(namespace, "rr-fail", "no context source answered");
    const failed = await cluster.inPhase(namespace, "rr-fail", "failed");
    expect(failed.status).toMatchObject({
      failedPhase: "processing",
      errorMessage: "remediation processing failed: no context source answered",
    });
    const row = await reader.row(fingerprint, (r) => r.overall_phase === "failed");
    expect(row).toMatchObject({
      failure_phase: "processing",
      failure_reason: "remediation processing failed: no context source answered",
      service_crd_statuses: {
        remediationProcessing: { phase: "failed", success: false, error: "no context source answered" },
      },
    });
  });

  it("times a phase out after PHASE_TIMEOUT_PROCESSING, recording the phase and time", async () => {
    const fingerprint = `slow-${suffix()}`;
    await cluster.createRequest(timeoutNamespace, "rr-slow", fingerprint);
    const timedOut = await cluster.inPhase(timeoutNamespace, "rr-slow", "timeout", 30_000);
    expect(timedOut.status?.timeoutPhase).toBe("processing");
    const entered = Date.parse(timedOut.status?.phaseTransitions?.processing ?? "");
    expect(Date.parse(timedOut.status?.timeoutTime ?? "") - entered).toBeGreaterThanOrEqual(2000);
    const row = await reader.row(fingerprint, (r) => r.overall_phase === "timeout");
    expect(row.timeout_phase).toBe("processing");
    expect(row.timeout_time).not.toBeNull();
    expect(
      await shortTimeouts.registry.getSingleMetricAsString("kubernaut_orchestrator_timeouts_total"),
    ).toContain('phase="processing"} 1');
  });
});
