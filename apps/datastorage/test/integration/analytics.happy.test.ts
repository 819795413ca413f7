import { ANALYTICS_RESPONSES, type AnalyticsName } from "@kubernaut/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AI_ANALYSIS,
  aiAnalysis,
  ORCHESTRATION,
  orchestration,
  PROCESSING,
  processing,
} from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";

/**
 * One data set written through the write endpoints at three ages (1 hour, 3 days and 10 days before NOW),
 * then every analytics endpoint compared with the numbers worked out by hand from it.
 */
const NOW = new Date("2026-11-23T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const iso = (d: Date) => d.toISOString();
const LONG_REASON = "x".repeat(150);

let t: ReadTestApp;

/** A finished remediation that started `seconds` before it completed. */
function finished(name: string, fingerprint: string, phase: string, seconds: number, fields = {}) {
  const start = ago(2 * HOUR);
  return orchestration({
    remediation_name: name,
    alert_fingerprint: fingerprint,
    overall_phase: phase,
    start_time: iso(start),
    completion_time: iso(new Date(start.getTime() + seconds * 1000)),
    ...fields,
  });
}

/** A completed AI analysis whose top recommendation ran as workflow `workflow`. */
function analysis(
  name: string,
  environment: string,
  numbers: Record<string, unknown>,
  top?: [string, number, number, string],
) {
  const recommendation = top && {
    recommendations: [
      { action: top[0], effectivenessProbability: top[1], historicalSuccessRate: top[2], rank: 1 },
    ],
    top_recommendation: top[0],
    effectiveness_probability: top[1],
    historical_success_rate: top[2],
    workflow_crd_name: top[3],
  };
  return aiAnalysis({
    crd_name: name,
    environment,
    trigger: top ? "workflow_created" : "analysis_failed",
    ...(top ? recommendation : { failure_reason: "no metrics for the pod" }),
    ...numbers,
  });
}

function enrichment(id: string, duration: string, fields: Record<string, unknown>) {
  return processing({
    remediation_id: id,
    alert_fingerprint: `fp-${id}`,
    processing_phases: [{ phase: "enriching", start_time: iso(ago(3 * HOUR)), duration }],
    ...fields,
  });
}

beforeAll(async () => {
  t = await openReadApp();
  const groups: Array<[Date, Array<[string, Record<string, unknown>]>]> = [
    [
      ago(HOUR),
      [
        [
          ORCHESTRATION,
          finished("rr-a1", "fp-a", "completed", 300, {
            workflow_execution_name: "wf-a1",
            service_crd_statuses: {
              workflowExecution: { phase: "completed", startTime: iso(ago(2 * HOUR)), success: true },
            },
          }),
        ],
        [
          ORCHESTRATION,
          finished("rr-a2", "fp-a", "failed", 100, {
            workflow_execution_name: "wf-a2",
            failure_phase: "executing",
            failure_reason: "pod crashloop, restarted 5 times",
          }),
        ],
        [ORCHESTRATION, finished("rr-b1", "fp-b", "completed", 60, { workflow_execution_name: "wf-b1" })],
        [
          ORCHESTRATION,
          orchestration({
            remediation_name: "rr-c1",
            alert_fingerprint: "fp-c",
            overall_phase: "timeout",
            timeout_phase: "analyzing",
          }),
        ],
        [
          ORCHESTRATION,
          finished("rr-c2", "fp-c", "failed", 200, {
            failure_phase: "analyzing",
            failure_reason: "llm timeout",
          }),
        ],
        [
          ORCHESTRATION,
          orchestration({
            remediation_name: "rr-d1",
            alert_fingerprint: "fp-d",
            overall_phase: "processing",
          }),
        ],
        [
          AI_ANALYSIS,
          analysis(
            "ai-1",
            "production",
            { investigation_duration_ms: 1000, confidence_score: 0.8, hallucination_detected: false },
            ["restart-pod", 0.9, 0.7, "wf-a1"],
          ),
        ],
        [
          AI_ANALYSIS,
          analysis(
            "ai-2",
            "production",
            { investigation_duration_ms: 3000, confidence_score: 0.6, hallucination_detected: true },
            ["restart-pod", 0.7, 0.5, "wf-a2"],
          ),
        ],
        [
          AI_ANALYSIS,
          analysis(
            "ai-3",
            "staging",
            { investigation_duration_ms: 2000, confidence_score: 0.9, hallucination_detected: false },
            ["scale-up", 0.8, 0.6, "wf-b1"],
          ),
        ],
        [
          AI_ANALYSIS,
          analysis("ai-4", "staging", {
            investigation_duration_ms: 4000,
            confidence_score: 0.5,
            hallucination_detected: true,
          }),
        ],
        [
          AI_ANALYSIS,
          analysis(
            "ai-7",
            "production",
            { investigation_duration_ms: 1400, confidence_score: 0.4, hallucination_detected: false },
            ["drain-node", 0.4, 0.4, "wf-none"],
          ),
        ],
        [
          PROCESSING,
          enrichment("rp-1", "2.5s", {
            environment: "production",
            confidence: 0.9,
            completed_at: iso(ago(2 * HOUR)),
          }),
        ],
        [
          PROCESSING,
          enrichment("rp-2", "500ms", {
            environment: "production",
            confidence: 0.7,
            completed_at: iso(ago(DAY)),
          }),
        ],
        [
          PROCESSING,
          enrichment("rp-3", "3s", {
            environment: "staging",
            confidence: 0.8,
            completed_at: iso(ago(2 * DAY)),
          }),
        ],
        [
          PROCESSING,
          enrichment("rp-5", "1m30s", {
            environment: undefined,
            confidence: 0.5,
            status: "failed",
            completed_at: iso(ago(HOUR)),
          }),
        ],
      ],
    ],
    [
      ago(3 * DAY),
      [
        [
          ORCHESTRATION,
          finished("rr-a0", "fp-a", "failed", 400, {
            workflow_execution_name: "wf-a0",
            failure_phase: "executing",
            failure_reason: LONG_REASON,
          }),
        ],
        [
          AI_ANALYSIS,
          analysis(
            "ai-5",
            "production",
            { investigation_duration_ms: 500, confidence_score: 0.7, hallucination_detected: false },
            ["restart-pod", 0.5, 0.3, "wf-a0"],
          ),
        ],
      ],
    ],
    [
      ago(8 * DAY),
      [
        [
          PROCESSING,
          enrichment("rp-4", "10s", {
            environment: "staging",
            confidence: 0.6,
            completed_at: iso(ago(8 * DAY)),
          }),
        ],
      ],
    ],
    [
      // Just outside the 7-day window: a remediation whose analysis (below) is just inside it.
      ago(7 * DAY + HOUR),
      [[ORCHESTRATION, finished("rr-e1", "fp-e", "completed", 30, { workflow_execution_name: "wf-e1" })]],
    ],
    [
      ago(7 * DAY - HOUR),
      [
        [
          AI_ANALYSIS,
          analysis(
            "ai-8",
            "production",
            { investigation_duration_ms: 1200, confidence_score: 0.7, hallucination_detected: false },
            ["drain-node", 0.4, 0.4, "wf-e1"],
          ),
        ],
      ],
    ],
    [
      ago(10 * DAY),
      [
        [ORCHESTRATION, finished("rr-z", "fp-a", "completed", 1000, { workflow_execution_name: "wf-z" })],
        [
          AI_ANALYSIS,
          analysis(
            "ai-6",
            "production",
            { investigation_duration_ms: 100, confidence_score: 1.0, hallucination_detected: true },
            ["scale-up", 0.2, 0.2, "wf-z"],
          ),
        ],
      ],
    ],
  ];
  for (const [start, writes] of groups) {
    for (const [i, [path, body]] of writes.entries()) {
      t.setNow(new Date(start.getTime() + i * 1000));
      await t.write(path, body);
    }
  }
  t.setNow(NOW);
});
afterAll(async () => {
  await t.close();
});

async function analytics<N extends AnalyticsName>(name: N, query = "") {
  const body = await t.getJson(`/api/v1/analytics/${name}${query ? `?${query}` : ""}`);
  return ANALYTICS_RESPONSES[name].parse(body) as ReturnType<(typeof ANALYTICS_RESPONSES)[N]["parse"]>;
}

describe("seed 000: ai_analysis_audit", () => {
  it("recommendation-effectiveness: the seed's averages per action plus the observed remediation outcomes", async () => {
    const answer = await analytics("recommendation-effectiveness");
    expect(answer.window).toEqual({ since: iso(ago(7 * DAY)), until: iso(NOW) });
    expect(answer.rows).toEqual([
      {
        top_recommendation: "scale-up",
        avg_effectiveness: 0.8,
        avg_historical_success: 0.6,
        total_recommendations: 1,
        success_rate: 1,
        sample_count: 1,
      },
      {
        top_recommendation: "restart-pod",
        avg_effectiveness: 0.7,
        avg_historical_success: 0.5,
        total_recommendations: 3,
        success_rate: expect.closeTo(1 / 3, 12),
        sample_count: 3,
      },
      // ai-7's workflow never ran; ai-8's remediation began before the window, and still counts.
      {
        top_recommendation: "drain-node",
        avg_effectiveness: 0.4,
        avg_historical_success: 0.4,
        total_recommendations: 2,
        success_rate: 1,
        sample_count: 1,
      },
    ]);
    expect((await analytics("recommendation-effectiveness", "environment=staging")).rows).toEqual([
      {
        top_recommendation: "scale-up",
        avg_effectiveness: 0.8,
        avg_historical_success: 0.6,
        total_recommendations: 1,
        success_rate: 1,
        sample_count: 1,
      },
    ]);
    const month = await analytics("recommendation-effectiveness", "window=30d");
    expect(
      month.rows.map((r) => [
        r.top_recommendation,
        r.avg_effectiveness,
        r.total_recommendations,
        r.success_rate,
        r.sample_count,
      ]),
    ).toEqual([
      ["restart-pod", 0.7, 3, expect.closeTo(1 / 3, 12), 3],
      ["scale-up", 0.5, 2, 1, 2],
      ["drain-node", 0.4, 2, 1, 1],
    ]);
  });

  it("investigation-performance: all time by default, by environment", async () => {
    const all = await analytics("investigation-performance");
    expect(all.window.since).toBeNull();
    expect(all.rows).toEqual([
      { environment: "production", avg_duration: 1200, avg_confidence: 0.7, total_investigations: 6 },
      { environment: "staging", avg_duration: 3000, avg_confidence: 0.7, total_investigations: 2 },
    ]);
    expect((await analytics("investigation-performance", "window=7d")).rows[0]).toEqual({
      environment: "production",
      avg_duration: 1420,
      avg_confidence: 0.64,
      total_investigations: 5,
    });
  });

  it("hallucination-trend: one row per day, newest first", async () => {
    expect((await analytics("hallucination-trend")).rows).toEqual([
      { date: "2026-11-23", hallucinations: 2, total_analyses: 5, hallucination_rate: 0.4 },
      { date: "2026-11-20", hallucinations: 0, total_analyses: 1, hallucination_rate: 0 },
      { date: "2026-11-16", hallucinations: 0, total_analyses: 1, hallucination_rate: 0 },
      { date: "2026-11-13", hallucinations: 1, total_analyses: 1, hallucination_rate: 1 },
    ]);
    expect((await analytics("hallucination-trend", "window=7d")).rows.map((r) => r.date)).toEqual([
      "2026-11-23",
      "2026-11-20",
      "2026-11-16",
    ]);
  });
});

describe("seed 001: alert_processing_audit", () => {
  it("classification-accuracy: the last 7 days by completed_at, by environment", async () => {
    expect((await analytics("classification-accuracy")).rows).toEqual([
      { environment: "production", avg_confidence: expect.closeTo(0.8, 12), total_alerts: 2 },
      { environment: "staging", avg_confidence: expect.closeTo(0.8, 12), total_alerts: 1 },
      { environment: null, avg_confidence: 0.5, total_alerts: 1 },
    ]);
    const month = await analytics("classification-accuracy", "window=30d");
    expect(month.rows[1]).toEqual({
      environment: "staging",
      avg_confidence: expect.closeTo(0.7, 12),
      total_alerts: 2,
    });
  });

  it("slow-enrichments: first phases longer than the threshold (2s by default), slowest first", async () => {
    expect((await analytics("slow-enrichments")).rows).toEqual([
      {
        remediation_id: "rp-5",
        alert_fingerprint: "fp-rp-5",
        enrichment_duration: "00:01:30",
        enrichment_duration_seconds: 90,
      },
      {
        remediation_id: "rp-4",
        alert_fingerprint: "fp-rp-4",
        enrichment_duration: "00:00:10",
        enrichment_duration_seconds: 10,
      },
      {
        remediation_id: "rp-3",
        alert_fingerprint: "fp-rp-3",
        enrichment_duration: "00:00:03",
        enrichment_duration_seconds: 3,
      },
      {
        remediation_id: "rp-1",
        alert_fingerprint: "fp-rp-1",
        enrichment_duration: "00:00:02.5",
        enrichment_duration_seconds: 2.5,
      },
    ]);
    const ids = async (query: string) =>
      (await analytics("slow-enrichments", query)).rows.map((r) => r.remediation_id);
    expect(await ids("threshold=5s")).toEqual(["rp-5", "rp-4"]);
    expect(await ids("threshold=2500ms")).toEqual(["rp-5", "rp-4", "rp-3"]);
    expect(await ids("window=7d")).toEqual(["rp-5", "rp-3", "rp-1"]);
    expect(await ids("limit=1")).toEqual(["rp-5"]);
  });
});

describe("seed 003: remediation_audit", () => {
  it("orchestration-success-rate: the last 7 days by overall phase", async () => {
    expect((await analytics("orchestration-success-rate")).rows).toEqual([
      { overall_phase: "completed", total: 2, successful: 2, failed: 0, success_rate_pct: 100 },
      { overall_phase: "failed", total: 3, successful: 0, failed: 3, success_rate_pct: 0 },
      { overall_phase: "processing", total: 1, successful: 0, failed: 0, success_rate_pct: 0 },
      { overall_phase: "timeout", total: 1, successful: 0, failed: 0, success_rate_pct: 0 },
    ]);
    expect((await analytics("orchestration-success-rate", "window=30d")).rows[0]?.total).toBe(4);
    const between = await analytics(
      "orchestration-success-rate",
      `since=${iso(ago(5 * DAY))}&until=${iso(ago(2 * DAY))}`,
    );
    expect(between.window).toEqual({ since: iso(ago(5 * DAY)), until: iso(ago(2 * DAY)) });
    expect(between.rows).toEqual([
      { overall_phase: "failed", total: 1, successful: 0, failed: 1, success_rate_pct: 0 },
    ]);
  });

  it("orchestration-duration: mean, p50 and p95 of finished remediations by phase", async () => {
    expect((await analytics("orchestration-duration")).rows).toEqual([
      {
        overall_phase: "completed",
        total_remediations: 2,
        avg_duration_seconds: 180,
        p50_duration: 180,
        p95_duration: expect.closeTo(288, 9),
      },
      {
        overall_phase: "failed",
        total_remediations: 3,
        avg_duration_seconds: expect.closeTo(700 / 3, 9),
        p50_duration: 200,
        p95_duration: expect.closeTo(380, 9),
      },
    ]);
  });

  it("slowest-orchestrations: the last 24 hours, 20 at most by default", async () => {
    const day = await analytics("slowest-orchestrations");
    expect(day.window.since).toBe(iso(ago(DAY)));
    expect(day.rows.map((r) => [r.remediation_name, r.duration_seconds])).toEqual([
      ["rr-a1", 300],
      ["rr-c2", 200],
      ["rr-a2", 100],
      ["rr-b1", 60],
    ]);
    expect(day.rows[0]?.service_crd_statuses?.workflowExecution).toMatchObject({
      phase: "completed",
      success: true,
    });
    expect(Date.parse(day.rows[0]?.completion_time ?? "") - Date.parse(day.rows[0]?.start_time ?? "")).toBe(
      300_000,
    );
    expect(
      (await analytics("slowest-orchestrations", "limit=2")).rows.map((r) => r.remediation_name),
    ).toEqual(["rr-a1", "rr-c2"]);
    expect((await analytics("slowest-orchestrations", "window=7d")).rows[0]?.remediation_name).toBe("rr-a0");
  });

  it("failure-phases: the most common first, with distinct reasons cut to 100 characters", async () => {
    expect((await analytics("failure-phases")).rows).toEqual([
      {
        failure_phase: "executing",
        failure_count: 2,
        unique_alerts_affected: 1,
        sample_reasons: ["pod crashloop, restarted 5 times", "x".repeat(100)],
      },
      {
        failure_phase: "analyzing",
        failure_count: 1,
        unique_alerts_affected: 1,
        sample_reasons: ["llm timeout"],
      },
    ]);
  });

  it("retry-analysis: alerts remediated more than once in the last 24 hours", async () => {
    const day = await analytics("retry-analysis");
    expect(day.rows.map(({ last_attempt, ...rest }) => rest)).toEqual([
      {
        alert_fingerprint: "fp-a",
        retry_count: 2,
        phase_progression: ["completed", "failed"],
        eventually_successful: true,
      },
      {
        alert_fingerprint: "fp-c",
        retry_count: 2,
        phase_progression: ["timeout", "failed"],
        eventually_successful: false,
      },
    ]);
    expect(Date.parse(day.rows[0]?.last_attempt ?? "")).toBe(ago(HOUR).getTime() + 1000);
    expect((await analytics("retry-analysis", "window=7d")).rows[0]).toMatchObject({
      alert_fingerprint: "fp-a",
      retry_count: 3,
      phase_progression: ["failed", "completed", "failed"],
    });
  });
});

describe("CSV", () => {
  async function csv(name: AnalyticsName, accept = "text/csv") {
    const res = await t.get(`/api/v1/analytics/${name}`, { accept });
    expect(res.status).toBe(200);
    return { type: res.headers.get("content-type"), body: await res.text() };
  }

  it("answers RFC 4180 CSV with a header row, quoting commas and quotes, arrays as JSON text", async () => {
    const { type, body } = await csv("failure-phases");
    expect(type).toBe("text/csv; charset=utf-8; header=present");
    expect(body).toBe(
      "failure_phase,failure_count,unique_alerts_affected,sample_reasons\r\n" +
        `executing,2,1,"[""pod crashloop, restarted 5 times"",""${"x".repeat(100)}""]"\r\n` +
        `analyzing,1,1,"[""llm timeout""]"\r\n`,
    );
  });

  it("writes null as an empty field and objects as JSON text", async () => {
    const accuracy = (await csv("classification-accuracy")).body.split("\r\n");
    expect(accuracy[0]).toBe("environment,avg_confidence,total_alerts");
    expect(accuracy[3]).toBe(",0.5,1");
    const slowest = (await csv("slowest-orchestrations")).body.split("\r\n");
    expect(slowest[0]).toBe(
      "remediation_name,alert_fingerprint,overall_phase,start_time,completion_time,duration_seconds,service_crd_statuses",
    );
    expect(slowest[1]).toMatch(
      /^rr-a1,fp-a,completed,[^,]+,[^,]+,300,"\{""workflowExecution"":\{.*""success"":true.*\}\}"$/,
    );
    expect(slowest[4]).toMatch(/^rr-b1,fp-b,completed,[^,]+,[^,]+,60,$/);
  });

  it("follows the client's preference between JSON and CSV", async () => {
    expect((await csv("failure-phases", "application/json, text/csv;q=0.5")).type).toMatch(
      /^application\/json/,
    );
    expect((await csv("failure-phases", "text/csv, application/json;q=0.5")).type).toMatch(/^text\/csv/);
    expect((await csv("failure-phases", "*/*")).type).toMatch(/^application\/json/);
  });
});
