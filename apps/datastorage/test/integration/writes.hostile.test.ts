import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_DEFINITIONS } from "../../src/routes/analytics/index.js";
import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "../support/go-payloads.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

const ORCHESTRATION = "/api/v1/audit/remediation-orchestration";
const PROCESSING = "/api/v1/audit/alert-processing";
const AI_ANALYSIS = "/api/v1/audit/ai-analysis";
const EMBEDDINGS = "/api/v1/embeddings/investigations";

interface ProblemBody {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let fingerprint = 0;

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

async function storedRows(): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM remediation_audit)
       + (SELECT count(*) FROM alert_processing_audit) + (SELECT count(*) FROM ai_analysis_audit)
       + (SELECT count(*) FROM ai_investigation_embeddings) AS n`,
  );
  return Number(row?.n);
}

async function expectRefused(res: Response, path: string, message: RegExp): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text) as ProblemBody;
  const error = body.errors?.find((e) => e.path === path);
  expect(error, `no error at ${path} in ${text}`).toBeDefined();
  expect(error?.message).toMatch(message);
}

const nextFingerprint = () => `hostile-${++fingerprint}`;
const vector = (value: number) => Array.from({ length: 1536 }, (_, i) => (i === 0 ? value : 0));

/** Each hostile value the service once stored (or failed on with a 500), with where and why it is refused. */
const refusals: { name: string; path: string; body: () => [string, unknown]; at: string; message: RegExp }[] =
  [
    {
      name: "a NUL character in a string",
      path: ORCHESTRATION,
      body: () => [ORCHESTRATION, { ...goRemediationOrchestrationAudit, remediation_name: "rr\u0000x" }],
      at: "remediation_name",
      message: /NUL/,
    },
    {
      name: "an unpaired surrogate in a string",
      path: PROCESSING,
      body: () => [PROCESSING, { ...goRemediationProcessingAudit, environment: "prod\uD800" }],
      at: "environment",
      message: /surrogate/,
    },
    {
      name: "a NUL character in a key of a recommendation's free-form fields",
      path: AI_ANALYSIS,
      body: () => [
        AI_ANALYSIS,
        {
          ...goAIAnalysisInvestigationComplete,
          trigger: "recommendations_generated",
          recommendations: [{ action: "restart", ["k\u0000"]: 1 }],
        },
      ],
      at: "recommendations.0.k\u0000",
      message: /NUL/,
    },
    {
      name: "free-form fields nested 40 levels deep",
      path: AI_ANALYSIS,
      body: () => {
        let deep: unknown = "bottom";
        for (let i = 0; i < 40; i++) deep = { d: deep };
        return [
          AI_ANALYSIS,
          {
            ...goAIAnalysisInvestigationComplete,
            trigger: "recommendations_generated",
            recommendations: [{ action: "restart", extra: deep }],
          },
        ];
      },
      at: `recommendations.0.extra${".d".repeat(32)}`,
      message: /deeper than 32/,
    },
    {
      name: "a negative Go duration",
      path: PROCESSING,
      body: () => [
        PROCESSING,
        {
          ...goRemediationProcessingAudit,
          processing_phases: [{ ...goRemediationProcessingAudit.processing_phases[0], duration: "-5s" }],
        },
      ],
      at: "processing_phases.0.duration",
      message: /negative duration is refused/,
    },
    {
      name: "a Go duration beyond the accepted range",
      path: PROCESSING,
      body: () => [
        PROCESSING,
        {
          ...goRemediationProcessingAudit,
          processing_phases: [
            { ...goRemediationProcessingAudit.processing_phases[0], duration: "99999999999999999999h" },
          ],
        },
      ],
      at: "processing_phases.0.duration",
      message: /104 days/,
    },
    {
      name: "an integer beyond an int4 column",
      path: PROCESSING,
      body: () => [PROCESSING, { ...goRemediationProcessingAudit, context_size_bytes: 3e9 }],
      at: "context_size_bytes",
      message: /2147483647/,
    },
    {
      name: "year 0000",
      path: ORCHESTRATION,
      body: () => [ORCHESTRATION, { ...goRemediationOrchestrationAudit, start_time: "0000-06-01T00:00:00Z" }],
      at: "start_time",
      message: /year 0001/,
    },
    {
      name: "an offset beyond ±15:59",
      path: ORCHESTRATION,
      body: () => [
        ORCHESTRATION,
        { ...goRemediationOrchestrationAudit, start_time: "2026-01-01T00:00:00+16:00" },
      ],
      at: "start_time",
      message: /15:59/,
    },
    {
      name: "a vector element float4 cannot hold",
      path: EMBEDDINGS,
      body: () => [EMBEDDINGS, { alert_fingerprint: "f", investigation_text: "x", embedding: vector(1e39) }],
      at: "embedding.0",
      message: /float4/,
    },
    {
      name: "a vector that rounds to zero in float4",
      path: EMBEDDINGS,
      body: () => [EMBEDDINGS, { alert_fingerprint: "f", investigation_text: "x", embedding: vector(1e-50) }],
      at: "embedding",
      message: /all zeros/,
    },
  ];

describe("hostile values are refused with a 400 naming the field, and nothing is stored", () => {
  for (const refusal of refusals) {
    it(refusal.name, async () => {
      const before = await storedRows();
      const [path, body] = refusal.body();
      await expectRefused(await t.post(path, body), refusal.at, refusal.message);
      expect(await storedRows()).toBe(before);
    });
  }

  it("in query parameters and cursors too", async () => {
    await expectRefused(
      await t.get("/api/v1/analytics/slow-enrichments?window=740000d"),
      "query.window",
      /at most 36500d/,
    );
    await expectRefused(
      await t.get("/api/v1/analytics/slow-enrichments?threshold=-5s"),
      "query.threshold",
      /negative/,
    );
    await expectRefused(
      await t.get("/api/v1/audit/remediation-orchestration?since=0000-01-01T00:00:00Z"),
      "query.since",
      /year 0001/,
    );
    await expectRefused(
      await t.get("/api/v1/audit/remediation-orchestration?fingerprint=a%00b"),
      "query.fingerprint",
      /NUL/,
    );
    const cursor = Buffer.from(JSON.stringify(["0000-01-01T00:00:00Z", "1"])).toString("base64url");
    await expectRefused(
      await t.get(`/api/v1/audit/remediation-orchestration?cursor=${cursor}`),
      "query.cursor",
      /not a cursor/,
    );
  });

  it("a compressed body with 415", async () => {
    const res = await t.post(ORCHESTRATION, goRemediationOrchestrationAudit, { "Content-Encoding": "br" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ProblemBody).detail).toMatch(/Content-Encoding "br"/);
  });
});

/** Every read endpoint, JSON and CSV, must answer 200 whatever is stored. */
async function expectEveryReadAnswers(alertFingerprint: string): Promise<void> {
  const reads = [
    `/api/v1/audit/timeline/${alertFingerprint}`,
    "/api/v1/audit/remediation-orchestration",
    "/api/v1/audit/alert-processing",
    "/api/v1/audit/ai-analysis",
    ...ANALYTICS_DEFINITIONS.map((d) => `/api/v1/analytics/${d.name}?window=36500d`),
  ];
  for (const path of reads) {
    const json = await t.get(path);
    expect(json.status, `${path}: ${await json.clone().text()}`).toBe(200);
    if (path.startsWith("/api/v1/analytics/")) {
      const csv = await t.get(path, { Accept: "text/csv" });
      expect(csv.status, `${path} as CSV`).toBe(200);
    }
  }
  const search = await t.post("/api/v1/embeddings/investigations/search", { vector: vector(0.5), k: 5 });
  expect(search.status, await search.clone().text()).toBe(200);
  const { results } = (await search.json()) as { results: { similarity: number | null }[] };
  expect(results.length).toBeGreaterThan(0);
  for (const item of results) {
    expect(item.similarity).not.toBeNull();
  }
}

describe("boundary values are stored, and no read breaks on them", () => {
  it("stores the largest and oldest values each column takes, then every read answers", async () => {
    const alert = nextFingerprint();
    const remediation = `${alert}-rr`;
    const stored = [
      await t.post(ORCHESTRATION, {
        ...goRemediationOrchestrationAudit,
        alert_fingerprint: alert,
        remediation_name: remediation,
        start_time: "0001-01-02T00:00:00+15:59",
        duplicate_count: 2_147_483_647,
        remediation_processing_name: "emoji 🚀 and = + - @ formula starts",
      }),
      await t.post(PROCESSING, {
        ...goRemediationProcessingAudit,
        alert_fingerprint: alert,
        remediation_id: remediation,
        context_size_bytes: 2_147_483_647,
        routing_priority: -2_147_483_648,
        processing_phases: [
          { ...goRemediationProcessingAudit.processing_phases[0], duration: Number.MAX_SAFE_INTEGER },
          { ...goRemediationProcessingAudit.processing_phases[1], duration: "0" },
        ],
      }),
      await t.post(AI_ANALYSIS, {
        ...goAIAnalysisInvestigationComplete,
        alert_fingerprint: alert,
        remediation_id: remediation,
        // Thirty days: longer than int4 milliseconds hold.
        investigation_start: "2026-01-01T00:00:00Z",
        investigation_end: "2026-01-31T00:00:00Z",
        investigation_duration_ms: undefined,
      }),
      await t.post(EMBEDDINGS, {
        alert_fingerprint: alert,
        investigation_text: "tiny but not zero",
        embedding: vector(1e-30),
      }),
    ];
    for (const res of stored) expect(res.status, await res.clone().text()).toBe(201);
    const [row] = await t.query<{ ms: number }>(
      `SELECT investigation_duration_ms AS ms FROM ai_analysis_audit WHERE alert_fingerprint = '${alert}'`,
    );
    expect(Number(row?.ms)).toBe(30 * 86_400_000);
    await expectEveryReadAnswers(alert);
  });

  it("rows written outside the contract (by hand or an older version) do not break a read", async () => {
    const alert = nextFingerprint();
    for (const [i, duration] of ["-PT5S", "PT3.6e+25S", "not an interval"].entries()) {
      await t.query(
        `INSERT INTO alert_processing_audit (remediation_id, alert_fingerprint, processing_phases, status)
         VALUES ('${alert}-${i}', '${alert}', '[{"phase":"enriching","duration":"${duration}"}]'::jsonb, 'completed')`,
      );
    }
    await expectEveryReadAnswers(alert);
    const slow = await t.get(`/api/v1/analytics/slow-enrichments?threshold=0s&window=36500d`);
    const rows = ((await slow.json()) as { rows: { remediation_id: string }[] }).rows;
    expect(rows.map((r) => r.remediation_id).filter((id) => id.startsWith(alert))).toEqual([]);
  });
});
