import { randomUUID } from "node:crypto";
import { WriteResult } from "@kubernaut/schema";
import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../support/test-app.js";

const ORCHESTRATION = "/api/v1/audit/remediation-orchestration";
const PROCESSING = "/api/v1/audit/alert-processing";
const AI = "/api/v1/audit/ai-analysis";
const BATCH = "/api/v1/audit/batch";

/** A timestamp column as UTC text with microseconds, identical on PGlite and PostgreSQL. */
const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

let now: Date;
let t: TestApp;

beforeEach(async () => {
  now = new Date("2026-11-23T10:00:00.000Z");
  t = await openTestApp({ clock: () => now });
});
afterEach(async () => {
  await t.close();
});

async function write(path: string, body: unknown): Promise<WriteResult> {
  const res = await t.post(path, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return WriteResult.parse(await res.json());
}

const count = async (table: string) =>
  Number((await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);

const orchestration = (overrides: Record<string, unknown> = {}) => ({
  alert_fingerprint: "fp-1",
  remediation_name: "rr-1",
  overall_phase: "pending",
  start_time: "2026-11-23T09:59:00Z",
  ...overrides,
});

const aiIdentity = {
  crd_name: "rr-1-analysis",
  crd_namespace: "kubernaut-system",
  alert_fingerprint: "fp-1",
  environment: "production",
  severity: "critical",
};

describe("POST /api/v1/audit/remediation-orchestration", () => {
  it("stores seed 003's Go-shaped JSON: Go zero times and empty strings as NULL, the log entry beside it", async () => {
    const result = await write(ORCHESTRATION, goRemediationOrchestrationAudit);
    expect(result).toMatchObject({ inserted: 1, duplicates: 0 });

    const [row] = await t.query(
      `SELECT remediation_name, overall_phase, ${utc("start_time")} AS start, ${utc("completion_time")} AS done,
         alert_processing_name, ai_analysis_name, kubernetes_execution_name, timeout_time, failure_phase,
         duplicate_count, service_crd_statuses, ${utc("created_at")} AS created FROM remediation_audit`,
    );
    expect(row).toMatchObject({
      remediation_name: "remediation-mem-pressure-7f9c",
      overall_phase: "completed",
      start: "2025-01-15T10:30:00.123457Z",
      done: "2025-01-15T09:34:12.500000Z",
      alert_processing_name: "remediation-mem-pressure-7f9c-processing",
      ai_analysis_name: "remediation-mem-pressure-7f9c-analysis",
      kubernetes_execution_name: null,
      timeout_time: null,
      failure_phase: null,
      duplicate_count: 0,
      created: "2026-11-23T10:00:00.000000Z",
    });
    expect(row?.service_crd_statuses).toMatchObject({
      workflowExecution: { phase: "failed", success: false, error: "step 2 timed out" },
    });

    const [event] = await t.query(
      `SELECT event_id::text AS event_id, correlation_id, alert_fingerprint, event_type, source,
         ${utc("occurred_at")} AS occurred, payload FROM audit_events`,
    );
    expect(event).toMatchObject({
      event_id: result.event_ids[0],
      correlation_id: "remediation-mem-pressure-7f9c",
      alert_fingerprint: "mem-pressure-prod-123",
      event_type: "remediation-orchestration.completed",
      source: "orchestrator",
      occurred: "2026-11-23T10:00:00.000000Z",
    });
    expect(event?.payload).toMatchObject({ remediation_name: "remediation-mem-pressure-7f9c" });
  });

  it("keeps one row per remediation, updated on each phase change with updated_at", async () => {
    await write(ORCHESTRATION, orchestration());
    now = new Date("2026-11-23T10:00:05.000Z");
    await write(
      ORCHESTRATION,
      orchestration({ overall_phase: "analyzing", ai_analysis_name: "rr-1-analysis" }),
    );
    now = new Date("2026-11-23T10:00:09.000Z");
    await write(
      ORCHESTRATION,
      orchestration({ overall_phase: "completed", completion_time: "2026-11-23T10:00:08Z" }),
    );

    const rows = await t.query(
      `SELECT overall_phase, ai_analysis_name, ${utc("created_at")} AS created, ${utc("updated_at")} AS updated,
         ${utc("completion_time")} AS done FROM remediation_audit`,
    );
    expect(rows).toEqual([
      {
        overall_phase: "completed",
        ai_analysis_name: "rr-1-analysis",
        created: "2026-11-23T10:00:00.000000Z",
        updated: "2026-11-23T10:00:09.000000Z",
        done: "2026-11-23T10:00:08.000000Z",
      },
    ]);
    const events = await t.query("SELECT event_type FROM audit_events ORDER BY occurred_at");
    expect(events.map((e) => e.event_type)).toEqual([
      "remediation-orchestration.pending",
      "remediation-orchestration.analyzing",
      "remediation-orchestration.completed",
    ]);
  });

  it("accepts alert_processing_name as well as remediation_processing_name", async () => {
    await write(
      ORCHESTRATION,
      orchestration({ remediation_name: "a", remediation_processing_name: "a-proc" }),
    );
    await write(ORCHESTRATION, orchestration({ remediation_name: "b", alert_processing_name: "b-proc" }));
    const rows = await t.query(
      "SELECT remediation_name, alert_processing_name FROM remediation_audit ORDER BY remediation_name",
    );
    expect(rows).toEqual([
      { remediation_name: "a", alert_processing_name: "a-proc" },
      { remediation_name: "b", alert_processing_name: "b-proc" },
    ]);
  });
});

describe("POST /api/v1/audit/alert-processing", () => {
  it("stores seed 001's JSON so that the seed's duration query gives the true durations", async () => {
    await write(PROCESSING, goRemediationProcessingAudit);
    // Seed 001's "slow enrichment" query, unchanged.
    const slow = await t.query(`SELECT remediation_id, alert_fingerprint,
       (processing_phases->0->>'duration')::interval as enrichment_duration
FROM alert_processing_audit
WHERE (processing_phases->0->>'duration')::interval > INTERVAL '2 seconds'
ORDER BY enrichment_duration DESC`);
    expect(slow.map((r) => r.remediation_id)).toEqual(["remediation-mem-pressure-7f9c"]);
    const [durations] = await t.query<{ first: string; second: string }>(
      `SELECT extract(epoch FROM (processing_phases->0->>'duration')::interval)::text AS first,
              extract(epoch FROM (processing_phases->1->>'duration')::interval)::text AS second,
              processing_phases->0->>'duration_ns' AS ns, enrichment_sources, environment, status,
              ${utc("completed_at")} AS completed FROM alert_processing_audit`,
    );
    expect(Number(durations?.first)).toBe(2.5);
    expect(Number(durations?.second)).toBe(0.1);
    expect(durations).toMatchObject({
      ns: "2500000000",
      enrichment_sources: ["namespace", "workload", "pods", "events"],
      environment: "production",
      status: "completed",
      completed: "2025-01-15T10:30:03.700000Z",
    });
    const [event] = await t.query("SELECT correlation_id, event_type, source FROM audit_events");
    expect(event).toEqual({
      correlation_id: "remediation-mem-pressure-7f9c",
      event_type: "alert-processing.completed",
      source: "processor",
    });
  });

  it("upserts by remediation_id and never regresses status when an older record arrives late", async () => {
    const base = { ...goRemediationProcessingAudit, remediation_id: "rr-2" };
    await write(PROCESSING, { ...base, status: "completed", occurred_at: "2026-11-23T09:00:02Z" });
    await write(PROCESSING, {
      ...base,
      status: "enriching",
      routed_to_service: "",
      processing_phases: null,
      occurred_at: "2026-11-23T09:00:01Z",
    });
    const rows = await t.query(
      `SELECT status, jsonb_array_length(processing_phases) AS phases, routed_to_service,
         ${utc("last_event_at")} AS last FROM alert_processing_audit`,
    );
    expect(rows).toEqual([
      {
        status: "completed",
        phases: 2,
        routed_to_service: "ai-analysis",
        last: "2026-11-23T09:00:02.000000Z",
      },
    ]);
  });
});

describe("POST /api/v1/audit/ai-analysis", () => {
  it("merges the five trigger points into one row per AIAnalysis", async () => {
    await write(AI, goAIAnalysisInvestigationComplete);
    const id = {
      crd_name: goAIAnalysisInvestigationComplete.crd_name,
      crd_namespace: goAIAnalysisInvestigationComplete.crd_namespace,
      alert_fingerprint: "mem-pressure-prod-123",
      environment: "production",
      severity: "critical",
      remediation_id: "remediation-mem-pressure-7f9c",
    };
    await write(AI, {
      ...id,
      trigger: "analysis_complete",
      analysis_start: "2025-01-15T10:30:09.25Z",
      analysis_end: "2025-01-15T10:30:11Z",
      confidence_score: 0.87,
      hallucination_detected: false,
    });
    await write(AI, {
      ...id,
      trigger: "recommendations_generated",
      recommendations: [
        {
          action: "increase-memory-limit",
          rank: 2,
          effectivenessProbability: 0.7,
          historicalSuccessRate: 0.6,
        },
        { action: "restart-pod", rank: 1, effectivenessProbability: 0.92, historicalSuccessRate: 0.85 },
      ],
    });
    await write(AI, {
      ...id,
      trigger: "workflow_created",
      workflow_crd_name: "wf-1",
      workflow_crd_namespace: "ns",
    });

    const rows = await t.query(
      `SELECT investigation_duration_ms, root_cause_count, analysis_duration_ms, confidence_score::text AS confidence,
         hallucination_detected, top_recommendation, effectiveness_probability::text AS effectiveness,
         historical_success_rate::text AS historical, recommendations->0->>'action' AS first, workflow_crd_name,
         completion_status, remediation_id FROM ai_analysis_audit`,
    );
    expect(rows).toEqual([
      {
        investigation_duration_ms: 3250,
        root_cause_count: 2,
        analysis_duration_ms: 1750,
        confidence: "0.87",
        hallucination_detected: false,
        top_recommendation: "restart-pod",
        effectiveness: "0.92",
        historical: "0.85",
        first: "restart-pod",
        workflow_crd_name: "wf-1",
        completion_status: "completed",
        remediation_id: "remediation-mem-pressure-7f9c",
      },
    ]);
    // Seed 000's success-rate query, unchanged, sees the merged row.
    const seed = await t.query(`SELECT
    top_recommendation,
    AVG(effectiveness_probability) as avg_effectiveness,
    AVG(historical_success_rate) as avg_historical_success,
    COUNT(*) as total_recommendations
FROM ai_analysis_audit
WHERE completion_status = 'completed'
GROUP BY top_recommendation
ORDER BY avg_effectiveness DESC`);
    expect(seed).toMatchObject([{ top_recommendation: "restart-pod", total_recommendations: 1 }]);
    const events = await t.query("SELECT correlation_id, event_type FROM audit_events ORDER BY occurred_at");
    expect(events[0]).toEqual({
      correlation_id: "mem-pressure-prod-123",
      event_type: "ai-analysis.investigation_complete",
    });
    expect(events[3]).toEqual({
      correlation_id: "remediation-mem-pressure-7f9c",
      event_type: "ai-analysis.workflow_created",
    });
  });

  it("a late older trigger fills what is missing but never overwrites a newer one", async () => {
    await write(AI, {
      ...aiIdentity,
      trigger: "workflow_created",
      workflow_crd_name: "wf-1",
      occurred_at: "2026-11-23T09:00:05Z",
    });
    await write(AI, {
      ...aiIdentity,
      trigger: "analysis_failed",
      failure_reason: "LLM timeout",
      workflow_crd_name: "stale",
      occurred_at: "2026-11-23T09:00:01Z",
    });
    const rows = await t.query(
      `SELECT completion_status, failure_reason, workflow_crd_name, ${utc("last_event_at")} AS last
       FROM ai_analysis_audit`,
    );
    expect(rows).toEqual([
      {
        completion_status: "completed",
        failure_reason: "LLM timeout",
        workflow_crd_name: "wf-1",
        last: "2026-11-23T09:00:05.000000Z",
      },
    ]);
  });
});

describe("POST /api/v1/audit/batch", () => {
  it("stores a mixed batch in one go; records of one row merge in occurred_at order", async () => {
    const result = await write(BATCH, {
      records: [
        {
          kind: "remediation-orchestration",
          ...orchestration({ overall_phase: "completed", occurred_at: "2026-11-23T09:00:03Z" }),
        },
        { kind: "alert-processing", ...goRemediationProcessingAudit },
        {
          kind: "remediation-orchestration",
          ...orchestration({
            overall_phase: "processing",
            ai_analysis_name: "x",
            occurred_at: "2026-11-23T09:00:01Z",
          }),
        },
        { kind: "ai-analysis", ...goAIAnalysisInvestigationComplete },
      ],
    });
    expect(result.inserted).toBe(4);
    expect(result.event_ids).toHaveLength(4);
    expect(await t.query("SELECT overall_phase, ai_analysis_name FROM remediation_audit")).toEqual([
      { overall_phase: "completed", ai_analysis_name: "x" },
    ]);
    expect(await count("alert_processing_audit")).toBe(1);
    expect(await count("ai_analysis_audit")).toBe(1);
    const events = await t.query(
      "SELECT source, count(*)::int AS n FROM audit_events GROUP BY source ORDER BY source",
    );
    expect(events).toEqual([
      { source: "ai-analysis", n: 1 },
      { source: "orchestrator", n: 2 },
      { source: "processor", n: 1 },
    ]);
  });

  it("a retried batch adds nothing: every record counts as a duplicate and no projection is touched", async () => {
    const records = [
      { kind: "remediation-orchestration", event_id: randomUUID(), ...orchestration() },
      { kind: "alert-processing", event_id: randomUUID(), ...goRemediationProcessingAudit },
      { kind: "ai-analysis", event_id: randomUUID(), ...goAIAnalysisInvestigationComplete },
    ];
    const first = await write(BATCH, { records });
    expect(first).toEqual({ inserted: 3, duplicates: 0, event_ids: records.map((r) => r.event_id) });

    now = new Date("2026-11-23T11:00:00.000Z");
    const changed = records.map((r, i) => (i === 0 ? { ...r, overall_phase: "failed" } : r));
    expect(await write(BATCH, { records: changed })).toEqual({
      inserted: 0,
      duplicates: 3,
      event_ids: first.event_ids,
    });
    expect(await count("audit_events")).toBe(3);
    const [row] = await t.query(
      `SELECT overall_phase, ${utc("updated_at")} AS updated FROM remediation_audit`,
    );
    expect(row).toEqual({ overall_phase: "pending", updated: "2026-11-23T10:00:00.000000Z" });
    const duplicates = await t.metrics.auditDuplicates.get();
    expect(duplicates.values.reduce((sum, v) => sum + v.value, 0)).toBe(3);
  });

  it("a batch mixing a retried event and new ones applies only the new ones to the row", async () => {
    const retried = { kind: "remediation-orchestration", event_id: randomUUID(), ...orchestration() };
    await write(BATCH, {
      records: [{ ...retried, overall_phase: "executing", occurred_at: "2026-11-23T09:00:02Z" }],
    });
    const result = await write(BATCH, {
      records: [
        { ...retried, overall_phase: "failed", occurred_at: "2026-11-23T09:00:09Z" },
        {
          ...orchestration({
            overall_phase: "pending",
            ai_analysis_name: "x",
            occurred_at: "2026-11-23T09:00:01Z",
          }),
          kind: "remediation-orchestration",
        },
      ],
    });
    expect(result).toMatchObject({ inserted: 1, duplicates: 1 });
    expect(
      await t.query(
        `SELECT overall_phase, ai_analysis_name, ${utc("last_event_at")} AS last FROM remediation_audit`,
      ),
    ).toEqual([{ overall_phase: "executing", ai_analysis_name: "x", last: "2026-11-23T09:00:02.000000Z" }]);
  });

  it("the same event_id twice in one batch is stored once", async () => {
    const event_id = randomUUID();
    const result = await write(BATCH, {
      records: [
        { kind: "remediation-orchestration", event_id, ...orchestration() },
        { kind: "remediation-orchestration", event_id, ...orchestration({ overall_phase: "failed" }) },
      ],
    });
    expect(result).toEqual({ inserted: 1, duplicates: 1, event_ids: [event_id, event_id] });
    expect(await t.query("SELECT overall_phase FROM remediation_audit")).toEqual([
      { overall_phase: "pending" },
    ]);
  });

  it("one invalid record rejects the whole batch with per-index errors and stores nothing", async () => {
    const res = await t.post(BATCH, {
      records: [
        { kind: "remediation-orchestration", ...orchestration() },
        { kind: "remediation-orchestration", ...orchestration({ start_time: "yesterday" }) },
        { kind: "ai-analysis", ...aiIdentity, trigger: "workflow_created" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      "records.1.start_time",
      "records.2.workflow_crd_name",
    ]);
    for (const table of ["audit_events", "remediation_audit", "ai_analysis_audit"]) {
      expect(await count(table)).toBe(0);
    }
  });
});
