import { type ResourceClient, silentLogger } from "@kubernaut/controller-runtime";
import type { RemediationProcessing } from "@kubernaut/crds";
import type { AuditRecordInput } from "@kubernaut/storage-client";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { processingEventId } from "../../src/audit-record.js";
import { processorMetrics } from "../../src/metrics.js";
import { ProcessingReconciler, REPUBLISH_WINDOW_MS } from "../../src/reconciler.js";
import { processing } from "./fixtures.js";

const NOW = new Date("2025-01-15T12:00:00Z");

function reconcilerOver(objects: Map<string, RemediationProcessing>) {
  const published: AuditRecordInput[] = [];
  const client = {
    get: async ({ namespace, name }: { namespace: string; name: string }) =>
      objects.get(`${namespace}/${name}`),
  } as unknown as ResourceClient<RemediationProcessing>;
  const reconciler = new ProcessingReconciler({
    client,
    apis: { core: {} as never, apps: {} as never },
    publisher: { publish: (record) => published.push(record) > 0 },
    metrics: processorMetrics(new Registry()),
    logger: silentLogger,
    sourceTimeoutMs: 100,
    now: () => NOW,
  });
  return { reconciler, published };
}

function finished(minutesAgo: number): RemediationProcessing {
  const completedAt = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
  return processing({ status: { phase: "completed", completedAt } });
}

describe("ProcessingReconciler after a restart", () => {
  const key = { namespace: "kubernaut-system", name: "rr-1-processing" };

  it("publishes a recently finished processing's record once, under its deterministic id", async () => {
    const { reconciler, published } = reconcilerOver(
      new Map([["kubernaut-system/rr-1-processing", finished(5)]]),
    );
    await reconciler.reconcile(key);
    await reconciler.reconcile(key);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      kind: "alert-processing",
      event_id: processingEventId("0b7e7c1e-1111-4b9a-9c0d-2f0e4a1b2c3d", "completed"),
    });
  });

  it("leaves processings that finished long ago alone", async () => {
    const old = finished(REPUBLISH_WINDOW_MS / 60_000 + 1);
    const { reconciler, published } = reconcilerOver(new Map([["kubernaut-system/rr-1-processing", old]]));
    await reconciler.reconcile(key);
    expect(published).toHaveLength(0);
  });
});
