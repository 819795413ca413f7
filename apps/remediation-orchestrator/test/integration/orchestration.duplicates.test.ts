import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningOrchestrator } from "../../src/controller.js";
import { Cluster, runOrchestrator, StorageReader, suffix } from "./support.js";

describe("orchestrator duplicate detection", () => {
  const cluster = new Cluster();
  const namespace = `duplicates-${suffix()}`;
  let storage: StorageService;
  let reader: StorageReader;
  let orchestrator: RunningOrchestrator;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    reader = new StorageReader(storage.url);
    await cluster.namespace(namespace);
    orchestrator = await runOrchestrator(namespace, storage.url);
  });

  afterAll(async () => {
    await orchestrator?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("marks a request with the fingerprint of an active one as its duplicate and counts it on the original", async () => {
    const fingerprint = `dup-${suffix()}`;
    await cluster.createRequest(namespace, "rr-original", fingerprint);
    await cluster.inPhase(namespace, "rr-original", "processing");
    await cluster.createRequest(namespace, "rr-again", fingerprint);

    const duplicate = await waitFor("rr-again to be marked duplicate", async () => {
      const rr = await cluster.request(namespace, "rr-again");
      return rr?.status?.duplicateOf ? rr : undefined;
    });
    expect(duplicate.status?.duplicateOf).toBe("rr-original");
    expect(duplicate.status?.phase).toBeUndefined();
    expect(duplicate.status?.conditions?.find((c) => c.type === "Duplicate")).toMatchObject({
      status: "True",
    });
    expect(await cluster.processings.get({ namespace, name: "rr-again-processing" })).toBeUndefined();

    const original = await waitFor("the original's duplicate count", async () => {
      const rr = await cluster.request(namespace, "rr-original");
      return rr?.status?.duplicateCount === 1 ? rr : undefined;
    });
    expect(original.status?.lastDuplicateTime).toBe(duplicate.metadata.creationTimestamp);
    expect(original.status?.phase).toBe("processing");

    const row = await reader.row(fingerprint, (r) => r.duplicate_count === 1);
    expect(row).toMatchObject({ remediation_name: "rr-original", overall_phase: "processing" });
    expect(row.last_duplicate_time).not.toBeNull();
    expect((await reader.remediationRows(fingerprint)).map((r) => r.remediation_name)).toEqual([
      "rr-original",
    ]);
    expect(
      await orchestrator.registry.getSingleMetricAsString("kubernaut_orchestrator_duplicates_total"),
    ).toMatch(/ 1$/m);
  });

  it("lets exactly one of several requests created together run", async () => {
    const fingerprint = `race-${suffix()}`;
    const names = ["rr-race-c", "rr-race-a", "rr-race-b"];
    await Promise.all(names.map((name) => cluster.createRequest(namespace, name, fingerprint)));
    const settled = await waitFor("every request to settle", async () => {
      const all = await Promise.all(names.map((name) => cluster.request(namespace, name)));
      return all.every((rr) => rr?.status?.phase === "processing" || rr?.status?.duplicateOf)
        ? all
        : undefined;
    });
    const running = settled.filter((rr) => rr?.status?.phase === "processing");
    const duplicates = settled.filter((rr) => rr?.status?.duplicateOf);
    expect(running).toHaveLength(1);
    expect(duplicates).toHaveLength(2);
    for (const duplicate of duplicates)
      expect(duplicate?.status?.duplicateOf).toBe(running[0]?.metadata.name);
    await waitFor("the original to count both duplicates", async () => {
      const rr = await cluster.request(namespace, running[0]?.metadata.name ?? "");
      return rr?.status?.duplicateCount === 2 ? rr : undefined;
    });
  });
});
