import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningProcessor } from "../../src/controller.js";
import { alertProcessingRows, Cluster, metricMatching, runProcessor, suffix } from "./support.js";

describe("remediation processor while the storage service is down", () => {
  const cluster = new Cluster();
  const namespace = `shop-staging-${suffix()}`;
  let storage: StorageService;
  let processor: RunningProcessor;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    await cluster.namespace(namespace, {});
    processor = await runProcessor(cluster.kubeConfig, namespace, storage.url);
  });

  afterAll(async () => {
    await processor?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("keeps reconciling without storage and delivers the audit record once storage is back", async () => {
    await storage.kill();
    await cluster.oomKilledDeployment(namespace, "cart");
    const fingerprints = [`outage-a-${suffix()}`, `outage-b-${suffix()}`];
    await cluster.createProcessing(namespace, "cart-a", fingerprints[0] ?? "", {
      kind: "Deployment",
      name: "cart",
    });
    await cluster.createProcessing(namespace, "cart-b", fingerprints[1] ?? "", {
      kind: "Pod",
      name: "cart-7d9f8-x2k4p",
    });

    for (const name of ["cart-a", "cart-b"]) {
      const rp = await waitFor(
        `${name} to complete with storage down`,
        async () => {
          const current = await cluster.processing(namespace, name);
          return current?.status?.phase === "completed" ? current : undefined;
        },
        30_000,
      );
      // Classified from the namespace name, since the namespace has no environment label.
      expect(rp.status?.environmentClassification).toMatchObject({
        environment: "staging",
        classificationMethod: "pattern",
        businessPriority: "P1",
      });
    }
    // Both records wait in the publisher; each is handed over once its status write has returned.
    await metricMatching(processor, "kubernaut_alertprocessor_pending_audit_records", /_records 2\b/);
    // The publisher keeps trying while the service is down: each attempt fails and is counted.
    await metricMatching(
      processor,
      "kubernaut_alertprocessor_audit_storage_attempts_total",
      /status="error"} [1-9]/,
    );

    await storage.restart();
    for (const fingerprint of fingerprints) {
      const [row] = await waitFor(`the audit row of ${fingerprint} after the outage`, async () => {
        const rows = await alertProcessingRows(storage.url, fingerprint);
        return rows.length > 0 ? rows : undefined;
      });
      expect(row).toMatchObject({ status: "completed", environment: "staging", business_priority: "P1" });
    }
    await metricMatching(
      processor,
      "kubernaut_alertprocessor_audit_storage_attempts_total",
      /status="success"} [1-9]/,
    );
  });
});
