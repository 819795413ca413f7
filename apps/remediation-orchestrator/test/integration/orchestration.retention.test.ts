import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningOrchestrator } from "../../src/controller.js";
import { Cluster, runOrchestrator, StorageReader, sleep, suffix } from "./support.js";

describe("orchestrator retention and audit finalizer", () => {
  const cluster = new Cluster();
  const namespace = `retention-${suffix()}`;
  const impatientNamespace = `retention-impatient-${suffix()}`;
  let storage: StorageService;
  let reader: StorageReader;
  let orchestrator: RunningOrchestrator;
  let impatient: RunningOrchestrator;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    reader = new StorageReader(storage.url);
    await cluster.namespace(namespace);
    await cluster.namespace(impatientNamespace);
    orchestrator = await runOrchestrator(namespace, storage.url, { RR_RETENTION: "2s" });
    impatient = await runOrchestrator(impatientNamespace, storage.url, { FINALIZER_MAX_WAIT: "2s" });
  });

  afterAll(async () => {
    await orchestrator?.stop();
    await impatient?.stop();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
    await cluster.deleteNamespace(impatientNamespace);
  });

  const gone = (ns: string, name: string, timeoutMs = 60_000) =>
    waitFor(
      `${name} to be deleted`,
      async () => ((await cluster.request(ns, name)) ? undefined : true),
      timeoutMs,
    );

  it("deletes a finished request after retention, once its final audit record is stored", async () => {
    const fingerprint = `kept-${suffix()}`;
    await cluster.createRequest(namespace, "rr-kept", fingerprint);
    await cluster.driveToCompletion(namespace, "rr-kept");
    await gone(namespace, "rr-kept");
    const row = await reader.row(fingerprint, (r) => r.deleted_at !== null);
    expect(row).toMatchObject({ overall_phase: "completed", remediation_name: "rr-kept" });
    expect(
      await orchestrator.registry.getSingleMetricAsString("kubernaut_orchestrator_retention_deletions_total"),
    ).toMatch(/ 1$/m);
  });

  it("keeps requests while their audit cannot be confirmed, and lets them go once storage is back", async () => {
    const finished = `outage-finished-${suffix()}`;
    const deletedByUser = `outage-deleted-${suffix()}`;
    const abandoned = `outage-abandoned-${suffix()}`;
    await cluster.createRequest(namespace, "rr-user-deleted", deletedByUser);
    await cluster.createRequest(impatientNamespace, "rr-abandoned", abandoned);
    await cluster.inPhase(namespace, "rr-user-deleted", "processing");
    await cluster.inPhase(impatientNamespace, "rr-abandoned", "processing");
    await storage.kill();

    await cluster.createRequest(namespace, "rr-unconfirmed", finished);
    const completed = await cluster.driveToCompletion(namespace, "rr-unconfirmed");
    await cluster.requests.delete({ namespace, name: "rr-user-deleted" });
    await cluster.requests.delete({ namespace: impatientNamespace, name: "rr-abandoned" });

    // Past the 2 s maximum wait of the impatient orchestrator, and past the 2 s retention of rr-unconfirmed.
    await gone(impatientNamespace, "rr-abandoned", 30_000);
    await waitFor("the retention of rr-unconfirmed to expire", async () => {
      const rr = await cluster.request(namespace, "rr-unconfirmed");
      return Date.parse(rr?.status?.retentionExpiryTime ?? "") < Date.now() ? rr : undefined;
    });
    // A window in which nothing may happen: the orchestrator tries to confirm the audit every 500 ms
    // (AUDIT_CONFIRM_INTERVAL), and with storage down must neither delete rr-unconfirmed nor let
    // rr-user-deleted go.
    await sleep(3_000);
    const unconfirmed = await cluster.request(namespace, "rr-unconfirmed");
    expect(unconfirmed?.status?.auditRecorded).toBe(false);
    expect(unconfirmed?.metadata.deletionTimestamp).toBeUndefined();
    expect(Date.parse(unconfirmed?.status?.retentionExpiryTime ?? "")).toBeLessThan(Date.now());
    const held = await cluster.request(namespace, "rr-user-deleted");
    expect(held?.metadata.deletionTimestamp).toBeDefined();
    expect(held?.metadata.finalizers).toContain("kubernaut.ai/audit-finalizer");

    const warnings = await cluster.core.listNamespacedEvent({
      namespace: impatientNamespace,
      fieldSelector: "involvedObject.name=rr-abandoned",
    });
    expect(warnings.items.map((e) => `${e.type} ${e.reason}`)).toContain("Warning AuditNotConfirmed");

    await storage.restart();
    await gone(namespace, "rr-unconfirmed");
    await gone(namespace, "rr-user-deleted");
    const finishedRow = await reader.row(finished, (r) => r.overall_phase === "completed");
    expect(finishedRow.completion_time).not.toBeNull();
    expect(Date.parse(finishedRow.completion_time ?? "")).toBe(
      Date.parse(completed.status?.completedAt ?? ""),
    );
    const deletedRow = await reader.row(deletedByUser, (r) => r.deleted_at !== null);
    expect(deletedRow.overall_phase).toBe("processing");
  });
});
