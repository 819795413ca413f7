import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../../src/controller.js";
import { aiAnalysisRows, Cluster, mergedRow, runController, suffix } from "./support.js";

const READ_TIMEOUT_MS = 10_000;

describe("AIAnalysis while the storage service is down", () => {
  const cluster = new Cluster();
  const namespace = `prod-outage-${suffix()}`;
  let storage: StorageService;
  let controller: RunningController;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace);
    controller = await runController(namespace, storage.url, { STORAGE_READ_TIMEOUT: "10s" });
  });

  afterAll(async () => {
    await controller?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("completes without waiting on storage, and its audit arrives once storage is back", async () => {
    await storage.kill();
    const pod = await cluster.oomKilledPod(namespace, "orders");
    const fingerprint = `fp-outage-${suffix()}`;
    await cluster.createAnalysis(namespace, "orders-oom", fingerprint, pod);

    const analysis = await cluster.finished(namespace, "orders-oom");
    expect(analysis.status?.phase).toBe("completed");
    expect(analysis.status?.recommendations?.[0]).toMatchObject({ action: "increase-memory-limit" });
    expect(analysis.status?.recommendations?.[0]?.historicalSuccessRate).toBeUndefined();
    expect(await cluster.workflows.get({ namespace, name: "orders-oom-workflow" })).toBeDefined();

    // No storage call held the analysis up: all of it took less than one storage read timeout.
    const transitions = analysis.status?.phaseTransitions ?? {};
    const elapsed = Date.parse(transitions.completed ?? "") - Date.parse(transitions.investigating ?? "");
    expect(elapsed).toBeLessThan(READ_TIMEOUT_MS);

    const metrics = await (await fetch(`http://127.0.0.1:${controller.manager.probePort}/metrics`)).text();
    expect(metrics).toMatch(
      /kubernaut_aianalysis_storage_read_failures_total\{operation="search_similar"\} 1/,
    );
    expect(metrics).toMatch(
      /kubernaut_aianalysis_storage_read_failures_total\{operation="historical_success_rates"\} 1/,
    );
    expect((await fetch(`http://127.0.0.1:${controller.manager.probePort}/readyz`)).status).toBe(200);

    await storage.restart();
    const row = await mergedRow(storage.url, fingerprint, (r) => r.workflow_crd_name !== null, 90_000);
    expect(row).toMatchObject({
      crd_name: "orders-oom",
      root_cause_count: 1,
      hallucination_detected: false,
      top_recommendation: "increase-memory-limit",
      workflow_crd_name: "orders-oom-workflow",
      completion_status: "completed",
    });
    expect(await aiAnalysisRows(storage.url, fingerprint)).toHaveLength(1);
  });
});
