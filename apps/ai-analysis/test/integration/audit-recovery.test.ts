import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiAnalysisRows, Cluster, mergedRow, runController, suffix } from "./support.js";

describe("AIAnalysis after a crash that lost its audit records", () => {
  const cluster = new Cluster();
  const namespace = `prod-recovery-${suffix()}`;
  let storage: StorageService;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace, { environment: "production" });
  });

  afterAll(async () => {
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("publishes, from a new process, the four records of an analysis finished before it started", async () => {
    const pod = await cluster.oomKilledPod(namespace, "orders");
    const fingerprint = `fp-recovery-${suffix()}`;
    // The first process cannot reach storage: its records are still in memory when it goes.
    const first = await runController(namespace, "http://127.0.0.1:9");
    await cluster.createAnalysis(namespace, "orders-oom", fingerprint, pod);
    const analysis = await cluster.finished(namespace, "orders-oom");
    expect(analysis.status?.phase).toBe("completed");
    await first.stop();
    expect(
      await first.registry.getSingleMetricAsString("kubernaut_aianalysis_audit_records_dropped_total"),
    ).toMatch(/ 4$/m);
    expect(await aiAnalysisRows(storage.url, fingerprint)).toEqual([]);

    const second = await runController(namespace, storage.url);
    try {
      const row = await mergedRow(storage.url, fingerprint, (r) => r.workflow_crd_name !== null);
      expect(row).toMatchObject({
        crd_name: "orders-oom",
        root_cause_count: 1,
        hallucination_detected: false,
        top_recommendation: "increase-memory-limit",
        workflow_crd_name: "orders-oom-workflow",
        completion_status: "completed",
      });
      expect(row.investigation_duration_ms).not.toBeNull();
      expect(row.analysis_duration_ms).not.toBeNull();
      expect(Date.parse(String(row.investigation_end))).toBe(
        Date.parse(analysis.status?.phaseTransitions?.analyzing ?? ""),
      );
      expect((await cluster.analyses.get({ namespace, name: "orders-oom" }))?.metadata.resourceVersion).toBe(
        analysis.metadata.resourceVersion,
      );
    } finally {
      await second.stop();
    }
  });
});
