import type { StorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageApiError, StorageClient } from "../../src/index.js";
import { aiAnalysisRecord, orchestrationRecord, processingRecord } from "../support/records.js";
import { databaseTier, startRealStorage } from "../support/storage-service.js";

let service: StorageService;
let client: StorageClient;
beforeAll(async () => {
  service = await startRealStorage();
  client = new StorageClient({ baseUrl: service.url });
}, 120_000);
afterAll(async () => {
  await service?.stop();
});

const withoutKind = <T extends { kind: string }>({ kind: _kind, ...rest }: T) => rest;

describe(`StorageClient against the Data Storage Service on ${databaseTier}`, () => {
  it("writes each kind and reads the post-mortem timeline in time order", async () => {
    const fingerprint = "fp-timeline";
    const at = (s: number) => `2026-11-23T10:00:0${s}.000000001Z`;
    await client.storeAIAnalysisAuditEvent({
      ...withoutKind(aiAnalysisRecord(1)),
      alert_fingerprint: fingerprint,
      occurred_at: at(3),
    });
    await client.storeRemediationOrchestrationAudit({
      ...withoutKind(orchestrationRecord(1)),
      alert_fingerprint: fingerprint,
      occurred_at: at(1),
    });
    const written = await client.storeRemediationProcessingAudit({
      ...withoutKind(processingRecord(1)),
      alert_fingerprint: fingerprint,
      occurred_at: at(2),
    });
    expect(written).toMatchObject({ inserted: 1, duplicates: 0 });

    const timeline = await client.timeline(fingerprint);
    expect(timeline).toMatchObject({ alert_fingerprint: fingerprint, truncated: false });
    expect(timeline.items.map((e) => e.source)).toEqual(["orchestrator", "processor", "ai-analysis"]);
    expect(timeline.items[1]?.event_id).toBe(written.event_ids[0]);
    expect((await client.timeline(fingerprint, { limit: 2 })).truncated).toBe(true);
  });

  it("pages through a list and finds each record by id", async () => {
    const fingerprint = "fp-pages";
    const records = Array.from({ length: 5 }, (_, i) => ({
      ...orchestrationRecord(i, "completed"),
      alert_fingerprint: fingerprint,
      remediation_name: `pages-${i}`,
    }));
    await client.storeBatch(records);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listRemediationOrchestrationAudits({
        fingerprint,
        phase: "completed",
        limit: 2,
        cursor,
      });
      seen.push(...page.items.map((r) => r.remediation_name));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(records.map((r) => r.remediation_name).sort());

    const [first] = (await client.listRemediationOrchestrationAudits({ fingerprint, limit: 1 })).items;
    if (!first) throw new Error("no record listed");
    await expect(client.getRemediationOrchestrationAudit(first.id)).resolves.toEqual(first);
    await expect(client.getRemediationOrchestrationAudit(999_999_999)).resolves.toBeNull();
  });

  it("lists and reads back processing and AI analysis records", async () => {
    await client.storeBatch([
      { ...processingRecord(7), alert_fingerprint: "fp-kinds" },
      { ...aiAnalysisRecord(7), alert_fingerprint: "fp-kinds" },
    ]);
    const processing = await client.listRemediationProcessingAudits({
      fingerprint: "fp-kinds",
      status: "completed",
    });
    const analyses = await client.listAIAnalysisAudits({
      fingerprint: "fp-kinds",
      environment: "production",
    });
    expect(processing.items.map((r) => r.remediation_id)).toEqual(["rr-7"]);
    expect(analyses.items.map((r) => r.crd_name)).toEqual(["ai-7"]);

    const [p] = processing.items;
    const [a] = analyses.items;
    if (!p || !a) throw new Error("records not listed");
    await expect(client.getRemediationProcessingAudit(p.id)).resolves.toEqual(p);
    await expect(client.getAIAnalysisAudit(a.id)).resolves.toEqual(a);
    await expect(client.getAIAnalysisAudit("0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10")).resolves.toBeNull();
  });

  it("answers the seeds' analytics as typed JSON and as CSV", async () => {
    await client.storeBatch([
      { ...orchestrationRecord(101, "completed"), alert_fingerprint: "fp-analytics" },
      {
        ...orchestrationRecord(102, "failed"),
        alert_fingerprint: "fp-analytics",
        failure_phase: "executing",
      },
    ]);

    const failures = await client.analytics("failure-phases", { window: "7d" });
    expect(failures.rows).toEqual([
      { failure_phase: "executing", failure_count: 1, unique_alerts_affected: 1, sample_reasons: [null] },
    ]);
    expect(failures.window.since).not.toBeNull();

    const csv = await client.analyticsCsv("failure-phases", { window: "7d" });
    expect(csv.split(/\r?\n/)[0]).toBe("failure_phase,failure_count,unique_alerts_affected,sample_reasons");

    const slow = await client.analytics("slow-enrichments", { threshold: "1s" });
    expect(slow.rows.map((r) => r.remediation_id)).toContain("rr-7");
  });

  it("stores investigations and finds the most similar one", async () => {
    const oom = await client.storeInvestigationEmbedding({
      alert_fingerprint: "fp-embed",
      investigation_text: "Pod payment-api OOMKilled: container memory limit 512Mi exceeded under load",
      root_cause: "memory limit too low",
      environment: "production",
    });
    await client.storeInvestigationEmbedding({
      alert_fingerprint: "fp-embed-2",
      investigation_text: "Node disk pressure: /var/lib/docker filled by unrotated container logs",
      environment: "production",
    });
    expect(oom.embedding_dimensions).toBe(1536);

    const found = await client.searchInvestigations({
      text: "payment-api container OOMKilled memory limit",
      k: 2,
    });
    expect(found.embedding_model).toBe(oom.embedding_model);
    expect(found.results[0]).toMatchObject({ id: oom.id, root_cause: "memory limit too low" });
  });

  it("surfaces the service's field errors", async () => {
    const error = await client
      .storeRemediationOrchestrationAudit({ ...withoutKind(orchestrationRecord(1)), start_time: "yesterday" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageApiError);
    expect(error).toMatchObject({
      status: 400,
      errors: [{ path: "start_time", message: expect.any(String) }],
    });
  });
});
