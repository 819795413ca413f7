import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertProcessingRows, Cluster, runProcessor, suffix } from "./support.js";

describe("remediation processor after a crash that lost an audit record", () => {
  const cluster = new Cluster();
  const namespace = `recovery-prod-${suffix()}`;
  let storage: StorageService;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace, { "kubernaut.ai/environment": "production" });
    await cluster.oomKilledDeployment(namespace, "api");
  });

  afterAll(async () => {
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("publishes the record of a processing that finished before the restart", async () => {
    // The first process cannot reach storage: its record is still in memory when it goes.
    const first = await runProcessor(cluster.kubeConfig, namespace, "http://127.0.0.1:9");
    const fingerprint = `recovery-${suffix()}`;
    await cluster.createProcessing(namespace, "lost", fingerprint, { kind: "Deployment", name: "api" });
    const rp = await waitFor("the processing to complete", async () => {
      const current = await cluster.processing(namespace, "lost");
      return current?.status?.phase === "completed" ? current : undefined;
    });
    await first.stop();
    expect(
      await first.registry.getSingleMetricAsString("kubernaut_alertprocessor_audit_records_dropped_total"),
    ).toMatch(/ 1$/m);
    expect(await alertProcessingRows(storage.url, fingerprint)).toEqual([]);

    const second = await runProcessor(cluster.kubeConfig, namespace, storage.url);
    try {
      const [row] = await waitFor("the record, from the new process", async () => {
        const rows = await alertProcessingRows(storage.url, fingerprint);
        return rows.length > 0 ? rows : undefined;
      });
      expect(row).toMatchObject({ status: "completed", environment: "production" });
      expect(Date.parse(String(row?.completed_at))).toBe(Date.parse(rp.status?.completedAt ?? ""));
      expect((await cluster.processing(namespace, "lost"))?.metadata.resourceVersion).toBe(
        rp.metadata.resourceVersion,
      );
    } finally {
      await second.stop();
    }
  });
});
