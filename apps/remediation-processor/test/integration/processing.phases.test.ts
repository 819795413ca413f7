import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningProcessor } from "../../src/controller.js";
import { alertProcessingRows, Cluster, metricMatching, runProcessor, suffix } from "./support.js";

describe("remediation processor on a real API server and storage service", () => {
  const cluster = new Cluster();
  const namespace = `payments-${suffix()}`;
  let storage: StorageService;
  let processor: RunningProcessor;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace, { "kubernaut.ai/environment": "production", team: "payments" });
    processor = await runProcessor(cluster.kubeConfig, namespace, storage.url);
  });

  afterAll(async () => {
    await processor?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("enriches an OOMKilled workload, classifies it production/P0 and stores the audit record", async () => {
    const pod = await cluster.oomKilledDeployment(namespace, "api");
    const fingerprint = `oom-${suffix()}`;
    await cluster.createProcessing(namespace, "oom-api", fingerprint, { kind: "Deployment", name: "api" });

    const rp = await waitFor("processing to complete", async () => {
      const current = await cluster.processing(namespace, "oom-api");
      return current?.status?.phase === "completed" ? current : undefined;
    });
    const status = rp.status ?? {};
    expect(Object.keys(status.phaseTransitions ?? {}).sort()).toEqual([
      "classifying",
      "completed",
      "enriching",
      "routing",
    ]);
    expect(status.degradedMode).toBe(false);
    expect(status.enrichmentResults).toMatchObject({
      enrichmentQuality: 1,
      contextSources: ["namespace", "workload", "pods", "events"],
      targetResourceFound: true,
      relatedEventCount: 1,
      namespaceLabels: { "kubernaut.ai/environment": "production", team: "payments" },
    });
    expect(status.enrichmentResults?.contextSizeBytes).toBeGreaterThan(200);
    expect(status.enrichmentResults?.summary).toContain(
      `pod ${pod} (Running) container app: CrashLoopBackOff, restarts 5, last terminated OOMKilled (exit 137)`,
    );
    expect(status.enrichmentResults?.summary).toContain("limits memory=256Mi");
    expect(status.enrichmentResults?.summary).toContain("Warning BackOff x12");
    expect(status.environmentClassification).toEqual({
      environment: "production",
      confidence: 0.95,
      businessPriority: "P0",
      slaRequirement: "5m",
      classificationMethod: "namespace-label",
    });
    expect(status.routing).toEqual({
      routedToService: "ai-analysis",
      routingPriority: 0,
      routingKey: `production.P0.${fingerprint}`,
    });

    const [row] = await waitFor("the alert_processing_audit row", async () => {
      const rows = await alertProcessingRows(storage.url, fingerprint);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({
      remediation_id: "rr-oom-api",
      alert_fingerprint: fingerprint,
      status: "completed",
      environment: "production",
      confidence: 0.95,
      business_priority: "P0",
      sla_requirement: "5m",
      routed_to_service: "ai-analysis",
      routing_priority: 0,
      enrichment_quality: 1,
      enrichment_sources: ["namespace", "workload", "pods", "events"],
      context_size_bytes: status.enrichmentResults?.contextSizeBytes,
    });
    expect(row?.processing_phases.map((p) => p.phase)).toEqual(["enriching", "classifying", "routing"]);
    expect(row?.processing_phases[0]?.enrichmentResults).toEqual({
      contextQuality: 1,
      contextSizeBytes: status.enrichmentResults?.contextSizeBytes,
      contextSources: 4,
      degradedMode: false,
    });
    expect(row?.processing_phases[1]?.classificationResults?.classificationMethod).toBe("namespace-label");
    expect(row?.processing_phases[2]?.routingResults?.routingKey).toBe(`production.P0.${fingerprint}`);
    await metricMatching(
      processor,
      "kubernaut_alertprocessor_audit_storage_attempts_total",
      /status="success"} [1-9]/,
    );
  });

  it("goes on in degraded mode with lower quality when the target workload does not exist", async () => {
    const fingerprint = `missing-${suffix()}`;
    await cluster.createProcessing(namespace, "missing-target", fingerprint, {
      kind: "Deployment",
      name: "ghost",
    });
    const rp = await waitFor("processing to complete", async () => {
      const current = await cluster.processing(namespace, "missing-target");
      return current?.status?.phase === "completed" ? current : undefined;
    });
    expect(rp.status?.degradedMode).toBe(true);
    expect(rp.status?.enrichmentResults?.enrichmentQuality).toBe(0.5);
    expect(rp.status?.enrichmentResults?.targetResourceFound).toBe(false);
    expect(rp.status?.enrichmentResults?.summary).toContain(
      'unavailable workload: deployments.apps "ghost" not found',
    );
    expect(rp.status?.conditions?.find((c) => c.type === "Enriched")).toMatchObject({
      status: "True",
      reason: "DegradedContext",
    });
    expect(rp.status?.environmentClassification?.environment).toBe("production");

    const [row] = await waitFor("the degraded audit row", async () => {
      const rows = await alertProcessingRows(storage.url, fingerprint);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row?.processing_phases[0]?.enrichmentResults).toMatchObject({
      contextQuality: 0.5,
      degradedMode: true,
    });
    expect(await processor.registry.getSingleMetricAsString("kubernaut_alertprocessor_errors_total")).toMatch(
      /error_type="enrichment_source_failed",phase="enriching"} 2/,
    );
  });

  it("fails when no context source answers, and audits the failure with its error", async () => {
    const fingerprint = `blind-${suffix()}`;
    await cluster.createProcessing(namespace, "blind", fingerprint, { kind: "Deployment", name: "api" }, [
      "metrics",
    ]);
    const rp = await waitFor("processing to fail", async () => {
      const current = await cluster.processing(namespace, "blind");
      return current?.status?.phase === "failed" ? current : undefined;
    });
    expect(rp.status).toMatchObject({ failedPhase: "enriching", degradedMode: true });
    expect(rp.status?.errorMessage).toBe(
      "enrichment failed: no context source answered: metrics (no reader for this source)",
    );
    const [row] = await waitFor("the failed audit row", async () => {
      const rows = await alertProcessingRows(storage.url, fingerprint);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({
      status: "failed",
      error_message: rp.status?.errorMessage,
      environment: null,
    });
    expect(row?.processing_phases.map((p) => p.phase)).toEqual(["enriching"]);
  });
});
