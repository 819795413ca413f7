import type { RemediationRequest } from "@kubernaut/crds";
import { type ControllerProcess, startControllerProcess } from "@kubernaut/testing/controller";
import { createOomKilledWorkload } from "@kubernaut/testing/kube";
import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningOrchestrator } from "../../src/controller.js";
import { Cluster, runOrchestrator, StorageReader, suffix } from "./support.js";

type Row = Record<string, unknown>;

/** The three controllers on one namespace: the orchestrator in-process, its neighbours as their own processes. */
describe("the three controllers on an OOMKilled pod in production", () => {
  const cluster = new Cluster();
  const namespace = `pipeline-${suffix()}`;
  const neighbours: ControllerProcess[] = [];
  let storage: StorageService;
  let reader: StorageReader;
  let orchestrator: RunningOrchestrator;
  /** How long the pipeline took from creation to executing with storage up, to compare the outage with. */
  let withStorageMs = 0;

  const analytics = async (name: string, query = ""): Promise<Row[]> => {
    const response = await fetch(`${storage.url}/api/v1/analytics/${name}${query}`);
    if (!response.ok) throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { rows: Row[] }).rows;
  };
  const rows = async (table: string, fingerprint: string): Promise<Row[]> => {
    const response = await fetch(`${storage.url}/api/v1/audit/${table}?fingerprint=${fingerprint}`);
    return ((await response.json()) as { items: Row[] }).items;
  };

  /** Creates a request for the pod of a new OOMKilled workload and waits for its WorkflowExecution. */
  async function remediate(name: string, fingerprint: string): Promise<RemediationRequest> {
    const pod = await createOomKilledWorkload(cluster.kubeConfig, namespace, `${name}-api`);
    await cluster.createRequest(namespace, name, fingerprint, {
      targetResource: { kind: "Pod", name: pod, namespace },
    });
    return cluster.inPhase(namespace, name, "executing", 90_000);
  }

  /** Plays the workflow engine: the WorkflowExecution AI analysis created runs and completes. */
  async function completeWorkflow(rr: RemediationRequest): Promise<void> {
    const ref = rr.status?.workflowExecutionRef;
    if (!ref) throw new Error(`${rr.metadata.name} names no WorkflowExecution`);
    const key = { namespace: ref.namespace, name: ref.name };
    await cluster.workflows.patchStatus(key, { phase: "running", startTime: new Date().toISOString() });
    await cluster.workflows.patchStatus(key, { phase: "completed", completedAt: new Date().toISOString() });
  }

  const elapsedToExecuting = (rr: RemediationRequest) =>
    Date.parse(rr.status?.phaseTransitions?.executing ?? "") -
    Date.parse(rr.status?.phaseTransitions?.pending ?? "");

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    reader = new StorageReader(storage.url);
    await cluster.namespace(namespace, { "kubernaut.ai/environment": "production" });
    const env = {
      KUBECONFIG: process.env.KUBECONFIG ?? "",
      STORAGE_URL: storage.url,
      STORAGE_TIMEOUT: "2s",
      AUDIT_RETRY_MAX_INTERVAL: "1s",
      WATCH_NAMESPACE: namespace,
      LEADER_ELECTION: "false",
      LOG_LEVEL: "warn",
    };
    for (const app of ["remediation-processor", "ai-analysis"]) {
      neighbours.push(await startControllerProcess({ app, env }));
    }
    orchestrator = await runOrchestrator(namespace, storage.url);
  });

  afterAll(async () => {
    await orchestrator?.stop();
    for (const neighbour of neighbours) await neighbour.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("processes, analyses and completes the request, and the seeds' queries find it in all three tables", async () => {
    const fingerprint = `pipeline-oom-${suffix()}`;
    const executing = await remediate("rr-oom", fingerprint);
    withStorageMs = elapsedToExecuting(executing);

    const processing = await cluster.processings.get({ namespace, name: "rr-oom-processing" });
    expect(processing?.status?.environmentClassification).toMatchObject({
      environment: "production",
      classificationMethod: "namespace-label",
      businessPriority: "P0",
    });
    const analysis = await cluster.analyses.get({ namespace, name: "rr-oom-analysis" });
    expect(analysis?.status?.phase).toBe("completed");
    const workflow = await cluster.workflows.get({
      namespace,
      name: executing.status?.workflowExecutionRef?.name ?? "",
    });
    expect(workflow?.spec).toMatchObject({
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "rr-oom-api", namespace },
      remediationRequestRef: { name: "rr-oom", namespace },
    });

    await completeWorkflow(executing);
    const completed = await cluster.inPhase(namespace, "rr-oom", "completed");
    expect(completed.status?.failedPhase).toBeUndefined();

    // Each controller's row, once all of its records are in.
    const remediation = await reader.row(fingerprint, (r) => r.overall_phase === "completed");
    expect(remediation).toMatchObject({
      remediation_name: "rr-oom",
      alert_processing_name: "rr-oom-processing",
      ai_analysis_name: "rr-oom-analysis",
      workflow_execution_name: workflow?.metadata.name,
      service_crd_statuses: {
        remediationProcessing: { phase: "completed", success: true },
        aiAnalysis: { phase: "completed", success: true },
        workflowExecution: { phase: "completed", success: true },
      },
    });
    const [alertProcessing, ...moreProcessing] = await waitFor("the alert_processing_audit row", async () => {
      const found = await rows("alert-processing", fingerprint);
      return found.length > 0 ? found : undefined;
    });
    expect(moreProcessing).toEqual([]);
    expect(alertProcessing).toMatchObject({
      remediation_id: "rr-oom",
      status: "completed",
      environment: "production",
      business_priority: "P0",
      routed_to_service: "ai-analysis",
    });
    const aiAnalysis = await waitFor("the complete ai_analysis_audit row", async () => {
      const [row, ...more] = await rows("ai-analysis", fingerprint);
      expect(more).toEqual([]);
      return row?.workflow_crd_name ? row : undefined;
    });
    expect(aiAnalysis).toMatchObject({
      crd_name: "rr-oom-analysis",
      remediation_id: "rr-oom",
      environment: "production",
      top_recommendation: "increase-memory-limit",
      completion_status: "completed",
      hallucination_detected: false,
    });

    // The seeds' queries, over these rows only (the storage service is this test's own).
    expect(await analytics("orchestration-success-rate")).toEqual([
      expect.objectContaining({ overall_phase: "completed", total: 1, successful: 1, failed: 0 }),
    ]);
    expect(await analytics("orchestration-duration")).toEqual([
      expect.objectContaining({ overall_phase: "completed", total_remediations: 1 }),
    ]);
    expect(await analytics("slowest-orchestrations")).toEqual([
      expect.objectContaining({ remediation_name: "rr-oom", alert_fingerprint: fingerprint }),
    ]);
    expect(await analytics("failure-phases")).toEqual([]);
    expect(await analytics("retry-analysis")).toEqual([]);
    expect(await analytics("classification-accuracy")).toEqual([
      expect.objectContaining({ environment: "production", total_alerts: 1 }),
    ]);
    expect(await analytics("slow-enrichments", "?threshold=1ns")).toEqual([
      expect.objectContaining({ remediation_id: "rr-oom", alert_fingerprint: fingerprint }),
    ]);
    expect(await analytics("investigation-performance")).toEqual([
      expect.objectContaining({ environment: "production", total_investigations: 1 }),
    ]);
    expect(await analytics("hallucination-trend")).toEqual([
      expect.objectContaining({ hallucinations: 0, total_analyses: 1 }),
    ]);
    // The feedback loop joins the analysis to the remediation's outcome through the workflow's name.
    expect(await analytics("recommendation-effectiveness")).toEqual([
      expect.objectContaining({
        top_recommendation: "increase-memory-limit",
        total_recommendations: 1,
        sample_count: 1,
        success_rate: 1,
      }),
    ]);
  });

  it("runs the whole pipeline as fast with the storage service down, and every record arrives once it is back", async () => {
    expect(withStorageMs).toBeGreaterThan(0);
    await storage.kill();
    const fingerprint = `pipeline-outage-${suffix()}`;
    const executing = await remediate("rr-outage", fingerprint);
    // Not slowed: no controller waited on a storage timeout (2 s) or a retry of its audit records.
    expect(elapsedToExecuting(executing)).toBeLessThan(withStorageMs * 2 + 2_000);
    await completeWorkflow(executing);
    const completed = await cluster.inPhase(namespace, "rr-outage", "completed");
    expect(completed.status?.auditRecorded).toBe(false);
    expect(orchestrator.publisher.stats().pending).toBeGreaterThan(0);

    await storage.restart();
    const events = await waitFor(
      "every audit record of the outage",
      async () => {
        const timeline = await reader.timeline(fingerprint);
        return timeline.length >= 10 ? timeline : undefined;
      },
      90_000,
    );
    expect(events.map((e) => e.event_type).sort()).toEqual(
      [
        "ai-analysis.analysis_complete",
        "ai-analysis.investigation_complete",
        "ai-analysis.recommendations_generated",
        "ai-analysis.workflow_created",
        "alert-processing.completed",
        "remediation-orchestration.analyzing",
        "remediation-orchestration.completed",
        "remediation-orchestration.executing",
        "remediation-orchestration.pending",
        "remediation-orchestration.processing",
      ].sort(),
    );
    await waitFor("the final record to be confirmed", async () => {
      const rr = await cluster.request(namespace, "rr-outage");
      return rr?.status?.auditRecorded ? rr : undefined;
    });
  });

  it("remediates disk pressure on a Node, a target without a namespace, from enrichment to a completed workflow", async () => {
    const node = `node-${suffix()}`;
    const fingerprint = `pipeline-node-${suffix()}`;
    // No kubelet runs here: the Node, its status and the events a kubelet would record are written by hand.
    await cluster.core.createNode({
      body: {
        metadata: { name: node, labels: { "kubernetes.io/hostname": node } },
        spec: { taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }] },
      },
    });
    try {
      await cluster.core.patchNodeStatus(
        {
          name: node,
          body: {
            status: {
              capacity: { cpu: "4", memory: "16Gi", "ephemeral-storage": "100Gi", pods: "110" },
              conditions: [
                {
                  type: "Ready",
                  status: "True",
                  reason: "KubeletReady",
                  message: "kubelet is posting ready status",
                  lastHeartbeatTime: new Date(),
                  lastTransitionTime: new Date(),
                },
                {
                  type: "DiskPressure",
                  status: "True",
                  reason: "KubeletHasDiskPressure",
                  message: "kubelet has disk pressure",
                  lastHeartbeatTime: new Date(),
                  lastTransitionTime: new Date(),
                },
              ],
            },
          },
        },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await cluster.core.createNamespacedEvent({
        namespace: "default",
        body: {
          metadata: { name: `${node}.eviction` },
          involvedObject: { kind: "Node", name: node },
          reason: "EvictionThresholdMet",
          message: "Attempting to reclaim ephemeral-storage",
          type: "Warning",
          count: 1,
          lastTimestamp: new Date(),
        },
      });
      await cluster.createRequest(namespace, "rr-disk", fingerprint, {
        signalName: "NodeDiskPressure",
        severity: "warning",
        targetResource: { kind: "Node", name: node },
      });
      const executing = await cluster.inPhase(namespace, "rr-disk", "executing", 90_000);

      const processing = await cluster.processings.get({ namespace, name: "rr-disk-processing" });
      expect(processing?.spec.signal).toMatchObject({ namespace, targetScope: "Cluster" });
      expect(processing?.status?.environmentClassification?.environment).toBe("production");
      const enrichment = processing?.status?.enrichmentResults;
      expect(enrichment?.targetResourceFound).toBe(true);
      expect(enrichment?.summary).toContain(`Node ${node}`);
      expect(enrichment?.summary).toContain("condition DiskPressure=True (KubeletHasDiskPressure");
      expect(enrichment?.summary).toContain("taint node.kubernetes.io/disk-pressure:NoSchedule");
      expect(enrichment?.summary).toContain("EvictionThresholdMet");
      const workflow = await cluster.workflows.get({
        namespace,
        name: executing.status?.workflowExecutionRef?.name ?? "",
      });
      expect(workflow?.spec).toMatchObject({
        action: "clean-disk",
        targetResource: { kind: "Node", name: node },
      });

      await completeWorkflow(executing);
      await cluster.inPhase(namespace, "rr-disk", "completed");
      const remediation = await reader.row(fingerprint, (r) => r.overall_phase === "completed");
      expect(remediation).toMatchObject({
        remediation_name: "rr-disk",
        alert_processing_name: "rr-disk-processing",
      });
      const [alertProcessing] = await waitFor("the alert_processing_audit row", async () => {
        const found = await rows("alert-processing", fingerprint);
        return found.length > 0 ? found : undefined;
      });
      expect(alertProcessing).toMatchObject({ status: "completed", environment: "production" });
      const aiAnalysis = await waitFor("the complete ai_analysis_audit row", async () => {
        const [row] = await rows("ai-analysis", fingerprint);
        return row?.workflow_crd_name ? row : undefined;
      });
      expect(aiAnalysis).toMatchObject({ top_recommendation: "clean-disk", completion_status: "completed" });
      // The trail names the node: what the analysis found on it and the workflow it chose for it.
      const trail = await reader.timeline(fingerprint);
      const investigation = trail.find((e) => e.event_type === "ai-analysis.investigation_complete");
      expect(investigation?.payload.investigation_report).toContain(`node ${node} reports DiskPressure`);
      expect(investigation?.payload.investigation_report).toContain(`clean-disk on Node ${node}`);
    } finally {
      await cluster.core.deleteNode({ name: node }).catch(() => undefined);
    }
  });
});
