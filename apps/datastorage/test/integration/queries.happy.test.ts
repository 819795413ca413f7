import {
  AIAnalysisAuditPage,
  AIAnalysisAuditRecord,
  AlertProcessingAuditPage,
  AlertProcessingAuditRecord,
  AuditTimeline,
  RemediationAuditPage,
  RemediationAuditRecord,
} from "@kubernaut/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AI_ANALYSIS,
  aiAnalysis,
  at,
  BATCH,
  ORCHESTRATION,
  orchestration,
  PROCESSING,
  processing,
} from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";

const T0 = new Date("2026-11-23T10:00:00.000Z");
const DAY = 86_400_000;
let t: ReadTestApp;

// One database for the file; each group of tests empties it and writes its own records, then only reads.
beforeAll(async () => {
  t = await openReadApp();
});
afterAll(async () => {
  await t.close();
});

/** Sets the clock, then writes: the record's `created_at` and `received_at` are that time. */
async function writeAt(time: Date, path: string, body: Record<string, unknown>) {
  t.setNow(time);
  await t.write(path, body);
}

describe("GET /api/v1/audit/timeline/{alert_fingerprint}", () => {
  beforeAll(async () => {
    await t.reset();
    // Posted out of order, and the clock moves so each record is received later than the one before.
    const records: Array<[string, Record<string, unknown>]> = [
      [ORCHESTRATION, orchestration({ overall_phase: "completed", occurred_at: at(T0, 40) })],
      [AI_ANALYSIS, aiAnalysis({ trigger: "investigation_complete", occurred_at: at(T0, 20) })],
      [ORCHESTRATION, orchestration({ overall_phase: "processing", occurred_at: at(T0, 0) })],
      [PROCESSING, processing({ occurred_at: at(T0, 10) })],
      [
        AI_ANALYSIS,
        aiAnalysis({ trigger: "workflow_created", workflow_crd_name: "wf-1", occurred_at: at(T0, 30) }),
      ],
      [AI_ANALYSIS, aiAnalysis({ trigger: "analysis_complete", occurred_at: at(T0, 30) })],
      [
        ORCHESTRATION,
        orchestration({ alert_fingerprint: "fp-other", remediation_name: "rr-9", occurred_at: at(T0, 5) }),
      ],
    ];
    for (const [i, [path, body]] of records.entries()) {
      await writeAt(new Date(T0.getTime() + 60_000 + i * 1000), path, body);
    }
  });

  it("answers every event of the three controllers for the alert, by occurred_at then received_at", async () => {
    const timeline = AuditTimeline.parse(await t.getJson("/api/v1/audit/timeline/fp-1"));
    expect(timeline.alert_fingerprint).toBe("fp-1");
    expect(timeline.truncated).toBe(false);
    expect(
      timeline.items.map((e) => [e.source, e.event_type, Date.parse(e.occurred_at) - T0.getTime()]),
    ).toEqual([
      ["orchestrator", "remediation-orchestration.processing", 0],
      ["processor", "alert-processing.completed", 10_000],
      ["ai-analysis", "ai-analysis.investigation_complete", 20_000],
      // Same occurred_at: workflow_created was received first.
      ["ai-analysis", "ai-analysis.workflow_created", 30_000],
      ["ai-analysis", "ai-analysis.analysis_complete", 30_000],
      ["orchestrator", "remediation-orchestration.completed", 40_000],
    ]);
    expect(timeline.items.every((e) => e.alert_fingerprint === "fp-1" && e.correlation_id === "rr-1")).toBe(
      true,
    );
    expect(timeline.items[0]?.payload).toMatchObject({
      overall_phase: "processing",
      remediation_name: "rr-1",
    });
  });

  it("narrows to since (exclusive) and until (inclusive), and says when limit cut the list", async () => {
    const windowed = AuditTimeline.parse(
      await t.getJson(`/api/v1/audit/timeline/fp-1?since=${at(T0, 10)}&until=${at(T0, 30)}`),
    );
    expect(windowed.items.map((e) => e.event_type)).toEqual([
      "ai-analysis.investigation_complete",
      "ai-analysis.workflow_created",
      "ai-analysis.analysis_complete",
    ]);
    const cut = AuditTimeline.parse(await t.getJson("/api/v1/audit/timeline/fp-1?limit=2"));
    expect(cut.items.map((e) => e.event_type)).toEqual([
      "remediation-orchestration.processing",
      "alert-processing.completed",
    ]);
    expect(cut.truncated).toBe(true);
  });

  it("answers an empty timeline for an alert never seen", async () => {
    const timeline = AuditTimeline.parse(await t.getJson("/api/v1/audit/timeline/unknown"));
    expect(timeline.items).toEqual([]);
    expect(timeline.truncated).toBe(false);
  });
});

describe("GET /api/v1/audit/remediation-orchestration", () => {
  beforeAll(async () => {
    await t.reset();
    const writes: Array<[Date, string, Record<string, unknown>]> = [
      [
        new Date(T0.getTime() - 10 * DAY),
        ORCHESTRATION,
        orchestration({ remediation_name: "rr-1", overall_phase: "completed", alert_fingerprint: "fp-0" }),
      ],
      [
        new Date(T0.getTime() - 10 * DAY + 1000),
        ORCHESTRATION,
        orchestration({ remediation_name: "rr-6", overall_phase: "failed" }),
      ],
      // Four remediations in one batch: one transaction, so one created_at.
      [
        T0,
        BATCH,
        {
          records: [
            orchestration({ remediation_name: "rr-2", overall_phase: "failed" }),
            orchestration({
              remediation_name: "rr-3",
              overall_phase: "completed",
              alert_fingerprint: "fp-0",
            }),
            orchestration({ remediation_name: "rr-4", overall_phase: "processing" }),
            orchestration({ remediation_name: "rr-5", overall_phase: "timeout", alert_fingerprint: "fp-0" }),
          ].map((record) => ({ kind: "remediation-orchestration", ...record })),
        },
      ],
      [
        new Date(T0.getTime() + 1000),
        ORCHESTRATION,
        orchestration({ remediation_name: "rr-7", overall_phase: "completed" }),
      ],
      [T0, PROCESSING, processing({ remediation_id: "rr-2", environment: "staging" })],
      [T0, PROCESSING, processing({ remediation_id: "rr-6", environment: "production" })],
      [T0, PROCESSING, processing({ remediation_id: "rr-7", environment: "production" })],
    ];
    for (const [time, path, body] of writes) await writeAt(time, path, body);
  });

  async function page(query: string) {
    return RemediationAuditPage.parse(await t.getJson(`${ORCHESTRATION}?${query}`));
  }

  async function allPages(query: string, limit: number) {
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(p.items.length).toBeLessThanOrEqual(limit);
      names.push(...p.items.map((r) => r.remediation_name));
      cursor = p.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    return { names, pages };
  }

  it("pages through every row exactly once, newest first, across rows created in the same transaction", async () => {
    const { names, pages } = await allPages("", 2);
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    expect(pages).toBe(4);
    // Newest first; the batch's rows (equal created_at) by id, descending (a statement inserts its rows in key
    // order, fingerprint then name: rr-3 and rr-5 of fp-0 before rr-2 and rr-4 of fp-1); pages cut inside the
    // batch.
    expect(names).toEqual(["rr-7", "rr-4", "rr-2", "rr-5", "rr-3", "rr-6", "rr-1"]);
    const full = await page("limit=50");
    expect(full.next_cursor).toBeNull();
    const created = full.items.map((r) => [r.created_at, r.id] as const);
    const sorted = [...created].sort(([a, i], [b, j]) => Date.parse(b ?? "") - Date.parse(a ?? "") || j - i);
    expect(created).toEqual(sorted);
  });

  it("filters by phase, fingerprint and environment", async () => {
    expect((await allPages("phase=failed", 1)).names).toEqual(["rr-2", "rr-6"]);
    expect((await page("fingerprint=fp-1")).items.map((r) => r.remediation_name)).toEqual([
      "rr-7",
      "rr-4",
      "rr-2",
      "rr-6",
    ]);
    expect((await page("environment=production")).items.map((r) => r.remediation_name)).toEqual([
      "rr-7",
      "rr-6",
    ]);
    expect((await page("environment=production&phase=failed")).items.map((r) => r.remediation_name)).toEqual([
      "rr-6",
    ]);
    expect((await page("phase=unknown")).items).toEqual([]);
  });

  it("filters by the time window on created_at", async () => {
    const fiveDaysBefore = new Date(T0.getTime() - 5 * DAY).toISOString();
    expect((await page(`since=${fiveDaysBefore}`)).items.map((r) => r.remediation_name)).toEqual([
      "rr-7",
      "rr-4",
      "rr-2",
      "rr-5",
      "rr-3",
    ]);
    expect((await page(`until=${fiveDaysBefore}`)).items.map((r) => r.remediation_name)).toEqual([
      "rr-6",
      "rr-1",
    ]);
    expect((await page(`since=${T0.toISOString()}`)).items.map((r) => r.remediation_name)).toEqual(["rr-7"]);
    expect((await page(`until=${T0.toISOString()}&limit=1`)).items.map((r) => r.remediation_name)).toEqual([
      "rr-4",
    ]);
  });

  it("answers every column of the stored row, with times in RFC 3339", async () => {
    const [row] = (await page("phase=timeout")).items;
    expect(row).toMatchObject({
      remediation_name: "rr-5",
      alert_fingerprint: "fp-0",
      overall_phase: "timeout",
      completion_time: null,
      duplicate_count: 0,
    });
    expect(Date.parse(row?.start_time ?? "")).toBe(Date.parse("2026-11-20T10:00:00Z"));
    expect(Object.keys(row ?? {}).sort()).toEqual(Object.keys(RemediationAuditRecord.shape).sort());
  });
});

describe("GET /api/v1/audit/alert-processing and /ai-analysis", () => {
  beforeAll(async () => {
    await t.reset();
    const writes: Array<[string, Record<string, unknown>]> = [
      [PROCESSING, processing({ remediation_id: "rr-1", status: "completed", environment: "production" })],
      [PROCESSING, processing({ remediation_id: "rr-2", status: "failed", environment: "staging" })],
      [PROCESSING, processing({ remediation_id: "rr-3", status: "completed", environment: "staging" })],
      [AI_ANALYSIS, aiAnalysis({ crd_name: "ai-1", environment: "production" })],
      [AI_ANALYSIS, aiAnalysis({ crd_name: "ai-1", trigger: "analysis_failed", failure_reason: "x" })],
      [AI_ANALYSIS, aiAnalysis({ crd_name: "ai-2", environment: "staging", alert_fingerprint: "fp-2" })],
      [
        AI_ANALYSIS,
        aiAnalysis({
          crd_name: "ai-2",
          trigger: "workflow_created",
          workflow_crd_name: "wf-2",
          environment: "staging",
          alert_fingerprint: "fp-2",
        }),
      ],
      [ORCHESTRATION, orchestration({ remediation_name: "rr-x", overall_phase: "completed" })],
    ];
    for (const [i, [path, body]] of writes.entries())
      await writeAt(new Date(T0.getTime() + i * 1000), path, body);
  });

  it("filters alert processings by status and environment and pages them", async () => {
    const list = async (q: string) =>
      AlertProcessingAuditPage.parse(await t.getJson(`${PROCESSING}?${q}`)).items.map(
        (r) => r.remediation_id,
      );
    expect(await list("status=completed")).toEqual(["rr-3", "rr-1"]);
    expect(await list("environment=staging")).toEqual(["rr-3", "rr-2"]);
    expect(await list("status=completed&environment=staging")).toEqual(["rr-3"]);
    const first = AlertProcessingAuditPage.parse(await t.getJson(`${PROCESSING}?limit=2`));
    expect(first.items.map((r) => r.remediation_id)).toEqual(["rr-3", "rr-2"]);
    const second = AlertProcessingAuditPage.parse(
      await t.getJson(`${PROCESSING}?limit=2&cursor=${first.next_cursor}`),
    );
    expect(second.items.map((r) => r.remediation_id)).toEqual(["rr-1"]);
    expect(second.next_cursor).toBeNull();
  });

  it("filters AI analyses by completion status, environment and fingerprint", async () => {
    const list = async (q: string) =>
      AIAnalysisAuditPage.parse(await t.getJson(`${AI_ANALYSIS}?${q}`)).items.map((r) => r.crd_name);
    expect(await list("status=failed")).toEqual(["ai-1"]);
    expect(await list("status=completed")).toEqual(["ai-2"]);
    expect(await list("environment=staging")).toEqual(["ai-2"]);
    expect(await list("fingerprint=fp-1")).toEqual(["ai-1"]);
  });

  it("answers one record by id, equal to its list item", async () => {
    for (const [path, pageSchema, recordSchema] of [
      [PROCESSING, AlertProcessingAuditPage, AlertProcessingAuditRecord],
      [AI_ANALYSIS, AIAnalysisAuditPage, AIAnalysisAuditRecord],
    ] as const) {
      const items = pageSchema.parse(await t.getJson(path)).items;
      for (const item of items) {
        const record = recordSchema.parse(await t.getJson(`${path}/${item.id}`));
        expect(record).toEqual(item);
      }
    }
    const [remediation] = RemediationAuditPage.parse(await t.getJson(ORCHESTRATION)).items;
    expect(RemediationAuditRecord.parse(await t.getJson(`${ORCHESTRATION}/${remediation?.id}`))).toEqual(
      remediation,
    );
  });

  it("keeps the stored processing phases, with the duration as an ISO 8601 interval", async () => {
    const [row] = AlertProcessingAuditPage.parse(await t.getJson(`${PROCESSING}?limit=1`)).items;
    expect(row?.processing_phases).toEqual([
      expect.objectContaining({ phase: "enriching", duration: "PT1S", duration_ns: 1_000_000_000 }),
    ]);
  });
});

describe("the signal and namespace filters of the three lists", () => {
  beforeAll(async () => {
    await t.reset();
    const writes: Array<[string, Record<string, unknown>]> = [
      [
        ORCHESTRATION,
        orchestration({
          remediation_name: "rr-oom",
          signal_name: "PodOOMKilled",
          target_namespace: "payments",
        }),
      ],
      [ORCHESTRATION, orchestration({ remediation_name: "rr-disk", signal_name: "NodeDiskPressure" })],
      [
        ORCHESTRATION,
        orchestration({
          remediation_name: "rr-oom-2",
          signal_name: "PodOOMKilled",
          target_namespace: "checkout",
        }),
      ],
      // A remediation whose records predate the fields: found by neither filter.
      [ORCHESTRATION, orchestration({ remediation_name: "rr-old" })],
      [PROCESSING, processing({ remediation_id: "rr-oom" })],
      [PROCESSING, processing({ remediation_id: "rr-disk" })],
      [AI_ANALYSIS, aiAnalysis({ crd_name: "ai-oom", remediation_id: "rr-oom-2" })],
    ];
    for (const [i, [path, body]] of writes.entries())
      await writeAt(new Date(T0.getTime() + i * 1000), path, body);
  });

  it("find remediations, processings and analyses by their remediation's signal and target namespace", async () => {
    const names = async (q: string) =>
      RemediationAuditPage.parse(await t.getJson(`${ORCHESTRATION}?${q}`)).items.map(
        (r) => r.remediation_name,
      );
    expect(await names("signal=PodOOMKilled")).toEqual(["rr-oom-2", "rr-oom"]);
    expect(await names("namespace=payments")).toEqual(["rr-oom"]);
    expect(await names("signal=NodeDiskPressure&namespace=payments")).toEqual([]);
    expect(await names("signal=NodeDiskPressure")).toEqual(["rr-disk"]);
    const processings = AlertProcessingAuditPage.parse(
      await t.getJson(`${PROCESSING}?signal=NodeDiskPressure`),
    ).items.map((r) => r.remediation_id);
    expect(processings).toEqual(["rr-disk"]);
    const analyses = AIAnalysisAuditPage.parse(await t.getJson(`${AI_ANALYSIS}?namespace=checkout`)).items;
    expect(analyses.map((r) => r.crd_name)).toEqual(["ai-oom"]);
    // The fields stay in the log's payload, not in the projection.
    const [oom] = RemediationAuditPage.parse(await t.getJson(`${ORCHESTRATION}?namespace=payments`)).items;
    expect(oom).not.toHaveProperty("signal_name");
  });

  it("refuses an empty or oversized filter, naming it", async () => {
    const res = await t.get(`${ORCHESTRATION}?namespace=`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("query.namespace");
    const long = await t.get(`${ORCHESTRATION}?signal=${"s".repeat(256)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("at most 255 characters");
  });
});
