import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../../src/controller.js";
import { Cluster, runController, suffix } from "./support.js";

/**
 * Past remediations in `environment`: `count` analyses whose workflow ran `action`, and the orchestrator's
 * record of how each remediation ended.
 */
function pastRemediations(
  environment: string,
  action: string,
  outcome: "completed" | "failed",
  count: number,
) {
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() - 3_000_000).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const name = `past-${environment}-${action}-${i}`;
    const fingerprint = `fp-${name}`;
    return [
      {
        kind: "ai-analysis",
        trigger: "workflow_created",
        crd_name: name,
        crd_namespace: "history",
        alert_fingerprint: fingerprint,
        environment,
        severity: "critical",
        top_recommendation: action,
        workflow_crd_name: `${name}-workflow`,
        workflow_crd_namespace: "history",
        completion_status: "completed",
      },
      {
        kind: "remediation-orchestration",
        alert_fingerprint: fingerprint,
        remediation_name: `rr-${name}`,
        overall_phase: outcome,
        start_time: start,
        completion_time: end,
        workflow_execution_name: `${name}-workflow`,
        ...(outcome === "failed" ? { failure_phase: "executing", failure_reason: "workflow failed" } : {}),
      },
    ];
  }).flat();
}

describe("ranking fed back by historical success rates", () => {
  const cluster = new Cluster();
  const namespace = `prod-history-${suffix()}`;
  let storage: StorageService;
  let controller: RunningController;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace);
    controller = await runController(namespace, storage.url);
  });

  afterAll(async () => {
    await controller?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("ranks on the investigator's estimate without history, and on the track record once there is one", async () => {
    const before = await cluster.finished(
      namespace,
      (
        await cluster.createAnalysis(
          namespace,
          "cart-oom-1",
          `fp-${suffix()}`,
          await cluster.oomKilledPod(namespace, "cart"),
        )
      ).metadata.name ?? "",
    );
    expect(before.status?.recommendations?.map((r) => r.action)).toEqual([
      "increase-memory-limit",
      "restart-pod",
    ]);
    expect(before.status?.recommendations?.[0]?.historicalSuccessRate).toBeUndefined();

    const seeded = await fetch(`${storage.url}/api/v1/audit/batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        records: [
          ...pastRemediations("production", "restart-pod", "completed", 10),
          ...pastRemediations("production", "increase-memory-limit", "failed", 10),
          // Another environment's history must not count.
          ...pastRemediations("staging", "increase-memory-limit", "completed", 30),
        ],
      }),
    });
    expect(seeded.status, await seeded.clone().text()).toBe(201);

    const pod = await cluster.oomKilledPod(namespace, "basket");
    await cluster.createAnalysis(namespace, "basket-oom", `fp-${suffix()}`, pod);
    const after = await cluster.finished(namespace, "basket-oom");
    expect(after.status?.recommendations).toMatchObject([
      { action: "restart-pod", rank: 1, historicalSuccessRate: 1, effectivenessProbability: 0.68 },
      { action: "increase-memory-limit", rank: 2, historicalSuccessRate: 0 },
    ]);
    const workflow = await cluster.workflows.get({ namespace, name: "basket-oom-workflow" });
    expect(workflow?.spec.action).toBe("restart-pod");
  });
});
