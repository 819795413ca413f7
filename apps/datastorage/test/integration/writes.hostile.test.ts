import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditLogApp } from "../support/audit-log.js";
import { expectEveryReadAnswers } from "../support/read-sweep.js";
import type { TestApp } from "../support/test-app.js";

const ORCHESTRATION = "/api/v1/audit/remediation-orchestration";
const PROCESSING = "/api/v1/audit/alert-processing";
const AI_ANALYSIS = "/api/v1/audit/ai-analysis";
const EMBEDDINGS = "/api/v1/embeddings/investigations";
const SEARCH = "/api/v1/embeddings/investigations/search";
const HOLDS = "/api/v1/audit/legal-holds";

interface ProblemBody {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let fingerprint = 0;

beforeAll(async () => {
  t = await openAuditLogApp();
});
afterAll(async () => {
  await t.close();
});

async function storedRows(): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM remediation_audit)
       + (SELECT count(*) FROM alert_processing_audit) + (SELECT count(*) FROM ai_analysis_audit)
       + (SELECT count(*) FROM ai_investigation_embeddings) + (SELECT count(*) FROM legal_holds) AS n`,
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
const everywhere = (value: number) => Array.from({ length: 1536 }, () => value);
const hold = { alert_fingerprint: "held", reason: "case 42", requested_by: "legal@example.com" };

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
      message: /from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z/,
    },
    {
      name: "a time in year 1 that is year 0 in UTC",
      path: ORCHESTRATION,
      body: () => [
        ORCHESTRATION,
        { ...goRemediationOrchestrationAudit, start_time: "0001-01-01T00:30:00+15:59" },
      ],
      at: "start_time",
      message: /from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z/,
    },
    {
      name: "a misspelled child snapshot",
      path: ORCHESTRATION,
      body: () => [
        ORCHESTRATION,
        {
          ...goRemediationOrchestrationAudit,
          service_crd_statuses: { aiAnalysys: { phase: "failed", success: false, error: "boom" } },
        },
      ],
      at: "service_crd_statuses.aiAnalysys",
      message: /unknown field/,
    },
    {
      name: "an unknown field in a typed phase result",
      path: PROCESSING,
      body: () => [
        PROCESSING,
        {
          ...goRemediationProcessingAudit,
          processing_phases: [
            {
              ...goRemediationProcessingAudit.processing_phases[0],
              enrichmentResults: {
                contextQuality: 0.5,
                contextSizeBytes: 10,
                contextSources: 1,
                degradedMode: false,
                bogus: 1,
              },
            },
          ],
        },
      ],
      at: "processing_phases.0.enrichmentResults.bogus",
      message: /unknown field/,
    },
    {
      name: "a time in year 9999 that is year 10000 in UTC",
      path: ORCHESTRATION,
      body: () => [
        ORCHESTRATION,
        { ...goRemediationOrchestrationAudit, start_time: "9999-12-31T23:59:59-15:59" },
      ],
      at: "start_time",
      message: /from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z/,
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
    {
      name: "a vector whose squared length underflows float4 (its cosine is undefined)",
      path: EMBEDDINGS,
      body: () => [EMBEDDINGS, { alert_fingerprint: "f", investigation_text: "x", embedding: vector(1e-30) }],
      at: "embedding",
      message: /squared length in float4 is 0/,
    },
    {
      name: "a vector whose squared length overflows float4",
      path: EMBEDDINGS,
      body: () => [
        EMBEDDINGS,
        { alert_fingerprint: "f", investigation_text: "x", embedding: everywhere(3e38) },
      ],
      at: "embedding",
      message: /beyond float4/,
    },
    {
      name: "a search vector whose squared length overflows float4",
      path: SEARCH,
      body: () => [SEARCH, { vector: everywhere(1e18), k: 3 }],
      at: "vector",
      message: /beyond float4/,
    },
    {
      name: "a NUL character in a legal hold",
      path: HOLDS,
      body: () => [HOLDS, { ...hold, reason: "case\u000042" }],
      at: "reason",
      message: /NUL/,
    },
    {
      name: "a legal hold from year 0",
      path: HOLDS,
      body: () => [
        HOLDS,
        {
          reason: "case 42",
          requested_by: "legal@example.com",
          from: "0001-01-01T00:30:00+15:59",
          to: "2026-01-01T00:00:00Z",
        },
      ],
      at: "from",
      message: /from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z/,
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

  it("in the query of every route: unknown parameters, counts that are not decimal, NUL, year 10000", async () => {
    for (const path of [
      "/api/v1/limits?bogus=1",
      "/api/v1/audit/checkpoints/latest?bogus=1",
      "/api/v1/audit/checkpoints/public-key?bogus=1",
      `${ORCHESTRATION}/1?bogus=1`,
    ]) {
      await expectRefused(await t.get(path), "query.bogus", /unknown field/);
    }
    await expectRefused(
      await t.post(`${SEARCH}?k=1`, { text: "checkout pod OOMKilled" }),
      "query.k",
      /unknown/,
    );
    for (const limit of ["1e2", "0x10", "%20", "1.0"]) {
      await expectRefused(await t.get(`${ORCHESTRATION}?limit=${limit}`), "query.limit", /decimal integer/);
    }
    expect((await t.get(`${ORCHESTRATION}?limit=010`)).status).toBe(200);
    for (const path of ["/api/v1/audit/verify", "/api/v1/audit/leaves"]) {
      await expectRefused(await t.get(`${path}?correlation_id=%00`), "query.correlation_id", /NUL/);
    }
    await expectRefused(
      await t.get("/api/v1/analytics/orchestration-success-rate?until=9999-12-31T23:59:59-15:59&window=1h"),
      "query.until",
      /to 9999-12-31T23:59:59.999999Z/,
    );
  });

  it("orders times to the nanosecond as written, not to the millisecond", async () => {
    const range = (since: string, until: string) =>
      t.get(`${ORCHESTRATION}?since=2026-12-04T10:00:00.${since}Z&until=2026-12-04T10:00:00.${until}Z`);
    expect((await range("0001", "0009")).status).toBe(200);
    expect((await range("000000001", "000000002")).status).toBe(200);
    await expectRefused(await range("0009", "0001"), "query.since", /before until/);
    await expectRefused(
      await t.get(
        "/api/v1/analytics/orchestration-success-rate?since=2026-12-04T10:00:00.0009Z&until=2026-12-04T10:00:00.0001Z",
      ),
      "query.since",
      /before until/,
    );
    const inverted = await t.post(HOLDS, {
      from: "2026-01-01T00:00:00.0002Z",
      to: "2026-01-01T00:00:00.0001Z",
      reason: "inverted by a tenth of a millisecond",
      requested_by: "legal@example.com",
    });
    await expectRefused(inverted, "to", /must not be before from/);
  });

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
      /from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z/,
    );
    await expectRefused(
      await t.get("/api/v1/analytics/recommendation-effectiveness?environment=prod%00"),
      "query.environment",
      /NUL/,
    );
    await expectRefused(await t.get("/api/v1/audit/timeline/a%00b"), "param.alert_fingerprint", /NUL/);
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

  it("a compressed body with 415 naming the encoding (identity is plain)", async () => {
    const res = await t.post(ORCHESTRATION, goRemediationOrchestrationAudit, { "Content-Encoding": "br" });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as ProblemBody).detail).toMatch(/Content-Encoding "br"/);
    const gzip = await t.post(HOLDS, hold, { "Content-Encoding": "gzip" });
    expect(gzip.status).toBe(415);
    const identity = await t.post(
      ORCHESTRATION,
      { ...goRemediationOrchestrationAudit, alert_fingerprint: nextFingerprint() },
      { "Content-Encoding": "identity" },
    );
    expect(identity.status, await identity.clone().text()).toBe(201);
  });
});

describe("bodies the service could not store as they were sent", () => {
  const json = () =>
    JSON.stringify({
      ...goRemediationOrchestrationAudit,
      alert_fingerprint: nextFingerprint(),
      failure_reason: "café défaillant",
    });
  const detail = async (res: Response) => ((await res.json()) as ProblemBody).detail;

  it("refuses bytes that are not UTF-8 with 400, and another charset with 415, storing nothing", async () => {
    const before = await storedRows();
    const latin1 = Buffer.from(json(), "latin1");
    const invalid = await t.post(ORCHESTRATION, latin1);
    expect(invalid.status).toBe(400);
    expect(await detail(invalid)).toMatch(/not valid UTF-8/);
    const declared = await t.post(ORCHESTRATION, latin1, {
      "content-type": "application/json; charset=iso-8859-1",
    });
    expect(declared.status).toBe(415);
    expect(await detail(declared)).toMatch(/charset "iso-8859-1"/);
    const emptyParameter = await t.post(ORCHESTRATION, json(), { "content-type": "application/json;" });
    expect(emptyParameter.status).toBe(415);
    expect(await detail(emptyParameter)).toMatch(/application\/json, got "application\/json;"/);
    expect(await storedRows()).toBe(before);
  });

  it("refuses a key named __proto__ in free-form JSON, plain or escaped, storing nothing", async () => {
    const before = await storedRows();
    const text = JSON.stringify({
      ...goAIAnalysisInvestigationComplete,
      alert_fingerprint: nextFingerprint(),
      recommendations: [{ action: "restart-pod", rank: 1, PROTO: { evil: true } }],
    });
    for (const key of ["__proto__", "\\u005f_proto__"]) {
      const res = await t.post(AI_ANALYSIS, text.replace('"PROTO"', `"${key}"`));
      expect(res.status, key).toBe(400);
      expect(await detail(res)).toMatch(/"__proto__" is not accepted/);
    }
    expect(await storedRows()).toBe(before);
    const kept = await t.post(AI_ANALYSIS, text.replace('"PROTO"', '"\\u0070roto"'));
    expect(kept.status, await kept.clone().text()).toBe(201);
  });

  it("stores UTF-8 whether or not the charset is named, a byte order mark dropped", async () => {
    const named = await t.post(ORCHESTRATION, json(), {
      "content-type": 'application/json; charset="UTF-8"',
    });
    expect(named.status, await named.clone().text()).toBe(201);
    const bom = await t.post(
      ORCHESTRATION,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json())]),
    );
    expect(bom.status, await bom.clone().text()).toBe(201);
  });
});

describe("boundary values are stored, and no read breaks on them", () => {
  it("stores the largest and oldest values each column takes, then every read answers", async () => {
    const alert = nextFingerprint();
    const remediation = `${alert}-rr`;
    let deepest: unknown = "bottom";
    for (let i = 0; i < 30; i++) deepest = { d: deepest };
    const stored = [
      await t.post(ORCHESTRATION, {
        ...goRemediationOrchestrationAudit,
        alert_fingerprint: alert,
        remediation_name: remediation,
        start_time: "0001-01-01T00:00:01Z",
        completion_time: "9999-12-31T23:59:59.9999994Z",
        timeout_time: "0001-01-02T00:00:00+15:59",
        last_duplicate_time: "2026-01-01T00:00:00-15:59",
        duplicate_count: 2_147_483_647,
        remediation_processing_name: "emoji 🚀 and = + - @ formula starts",
        failure_reason: '=HYPERLINK("http://x")',
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
      await t.post(PROCESSING, {
        ...goRemediationProcessingAudit,
        alert_fingerprint: alert,
        remediation_id: `${remediation}-longest-text-duration`,
        processing_phases: [
          { ...goRemediationProcessingAudit.processing_phases[0], duration: "2501h59m59.254740991s" },
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
      await t.post(AI_ANALYSIS, {
        ...goAIAnalysisInvestigationComplete,
        crd_name: `${alert}-recommendations`,
        alert_fingerprint: alert,
        remediation_id: remediation,
        trigger: "recommendations_generated",
        recommendations: [{ action: "restart", rank: 2_147_483_647, extra: deepest }],
      }),
      await t.post(EMBEDDINGS, {
        alert_fingerprint: alert,
        investigation_text: "tiny but not zero",
        embedding: vector(1e-22),
      }),
      await t.post(EMBEDDINGS, {
        alert_fingerprint: alert,
        investigation_text: "large but finite",
        embedding: vector(1e19),
      }),
      await t.post(HOLDS, { ...hold, alert_fingerprint: alert, expires_at: "9999-12-31T23:59:59Z" }),
      await t.post(HOLDS, {
        ...hold,
        alert_fingerprint: undefined,
        from: "0001-01-01T00:00:00Z",
        to: "0001-01-02T00:00:00Z",
      }),
    ];
    for (const res of stored) expect(res.status, await res.clone().text()).toBe(201);
    const [row] = await t.query<{ ms: number }>(
      `SELECT investigation_duration_ms AS ms FROM ai_analysis_audit WHERE alert_fingerprint = '${alert}'
       AND crd_name = '${goAIAnalysisInvestigationComplete.crd_name}'`,
    );
    expect(Number(row?.ms)).toBe(30 * 86_400_000);
    const reads = await expectEveryReadAnswers(t, alert, [vector(1e-22), vector(1e19), vector(0.5)]);
    expect(reads).toBeGreaterThan(20);
    const slowest = await t.get(
      `/api/v1/analytics/slow-enrichments?threshold=9007199254740991ns&window=36500d`,
    );
    expect(slowest.status).toBe(200);
  });

  it("analytics windows that reach before year 1 answer from year 1", async () => {
    for (const path of [
      "/api/v1/analytics/recommendation-effectiveness?since=0001-01-01T00:00:01Z",
      "/api/v1/analytics/orchestration-duration?until=0050-01-01T00:00:00Z&window=36500d",
    ]) {
      const res = await t.get(path);
      expect(res.status, await res.clone().text()).toBe(200);
    }
  });

  it("rows written outside the contract (by hand or an older version) do not break a read", async () => {
    const alert = nextFingerprint();
    for (const [i, duration] of ["-PT5S", "PT3.6e+25S", "not an interval"].entries()) {
      await t.query(
        `INSERT INTO alert_processing_audit (remediation_id, alert_fingerprint, processing_phases, status)
         VALUES ('${alert}-${i}', '${alert}', '[{"phase":"enriching","duration":"${duration}"}]'::jsonb, 'completed')`,
      );
    }
    // Vectors an older version stored: all zeros, below and beyond what float4 sums of their squares hold.
    for (const [i, embedding] of [everywhere(0), vector(1e-30), everywhere(3e38)].entries()) {
      await t.query(
        `INSERT INTO ai_investigation_embeddings (alert_fingerprint, investigation_text, embedding, embedding_model,
           embedding_dimensions)
         VALUES ('${alert}', 'legacy ${i}', '${JSON.stringify(embedding)}'::vector, 'client-supplied', 1536)`,
      );
    }
    // Times an older version stored: before year 1 once in UTC (PostgreSQL prints them BC).
    await t.query(
      `INSERT INTO remediation_audit (alert_fingerprint, remediation_name, overall_phase, start_time, completion_time)
       VALUES ('${alert}', '${alert}-bc', 'completed', '0001-01-01T00:30:00+15:59', '2026-01-01T00:00:00Z')`,
    );
    await t.query(
      `INSERT INTO legal_holds (from_time, to_time, reason, requested_by)
       VALUES ('0001-01-01T00:30:00+15:59', '0001-01-02T00:00:00Z', 'legacy', 'legal@example.com')`,
    );
    await expectEveryReadAnswers(t, alert, [vector(0.5), everywhere(0.5)]);
    const slow = await t.get(`/api/v1/analytics/slow-enrichments?threshold=0s&window=36500d`);
    const rows = ((await slow.json()) as { rows: { remediation_id: string }[] }).rows;
    expect(rows.map((r) => r.remediation_id).filter((id) => id.startsWith(alert))).toEqual([]);
    // A legacy vector whose cosine with the query is undefined is left out instead of answered as similarity null.
    const search = await t.post(SEARCH, { vector: vector(0.5), k: 100 });
    const found = ((await search.json()) as { results: { investigation_text: string }[] }).results;
    expect(found.map((r) => r.investigation_text)).not.toContain("legacy 0");
  });
});

describe("CSV cells a spreadsheet would run as formulas", () => {
  it("are prefixed with ', while numbers (negative ones too) stay numbers", async () => {
    const res = await t.post(ORCHESTRATION, {
      ...goRemediationOrchestrationAudit,
      alert_fingerprint: `=cmd|' /C calc'!A0`,
      remediation_name: "@SUM(1+1)*cmd|' /C calc'!A0",
      overall_phase: "-2+3",
      start_time: "2026-12-01T10:00:00Z",
      completion_time: "2026-12-01T09:59:58Z",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const csv = await (
      await t.get("/api/v1/analytics/slowest-orchestrations?limit=10000", {
        Accept: "text/csv",
      })
    ).text();
    const line = csv.split("\r\n").find((l) => l.includes("SUM"));
    expect(line, csv).toBeDefined();
    const cells = line?.split(",") ?? [];
    expect(cells.slice(0, 3)).toEqual([`'@SUM(1+1)*cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`, "'-2+3"]);
    // duration_seconds: a completion before the start is a negative number, and stays one.
    expect(
      cells.find((cell) => /^-2(\.0+)?$/.test(cell)),
      line,
    ).toBeDefined();
  });
});
