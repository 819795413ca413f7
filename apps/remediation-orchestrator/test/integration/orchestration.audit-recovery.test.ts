import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phaseEventId } from "../../src/event-id.js";
import { Cluster, runOrchestrator, StorageReader, suffix } from "./support.js";

describe("orchestrator after a crash that lost its audit records", () => {
  const cluster = new Cluster();
  const namespace = `recovery-${suffix()}`;
  let storage: StorageService;
  let reader: StorageReader;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    reader = new StorageReader(storage.url);
    await cluster.namespace(namespace);
  });

  afterAll(async () => {
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("publishes, from a new process, the record of every phase a previous process entered", async () => {
    const fingerprint = `recovery-${suffix()}`;
    // The first process cannot reach storage: its records are still in memory when it goes.
    const first = await runOrchestrator(namespace, "http://127.0.0.1:9");
    const created = await cluster.createRequest(namespace, "rr-lost", fingerprint);
    await cluster.inPhase(namespace, "rr-lost", "processing");
    await cluster.completeProcessing(namespace, "rr-lost");
    const analyzing = await cluster.inPhase(namespace, "rr-lost", "analyzing");
    await first.stop();
    expect(
      await first.registry.getSingleMetricAsString("kubernaut_orchestrator_audit_records_dropped_total"),
    ).toMatch(/ 3$/m);
    expect(await reader.timeline(fingerprint)).toEqual([]);

    const second = await runOrchestrator(namespace, storage.url);
    try {
      const row = await reader.row(fingerprint, (r) => r.overall_phase === "analyzing");
      expect(row).toMatchObject({
        remediation_name: "rr-lost",
        alert_processing_name: "rr-lost-processing",
        ai_analysis_name: "rr-lost-analysis",
        service_crd_statuses: { remediationProcessing: { phase: "completed", success: true } },
      });
      const uid = created.metadata.uid ?? "";
      const phases = ["pending", "processing", "analyzing"] as const;
      const events = await reader.timeline(fingerprint);
      expect(events.map((e) => e.event_id)).toEqual(phases.map((phase) => phaseEventId(uid, phase)));
      expect(events.map((e) => Date.parse(e.occurred_at))).toEqual(
        phases.map((phase) => Date.parse(analyzing.status?.phaseTransitions?.[phase] ?? "")),
      );

      // The new process carries on from there, auditing as before.
      await cluster.completeAnalysis(namespace, "rr-lost");
      await cluster.inPhase(namespace, "rr-lost", "executing");
      await reader.row(fingerprint, (r) => r.overall_phase === "executing");
    } finally {
      await second.stop();
    }
  });
});
