import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_DEFINITIONS } from "../../src/routes/analytics/index.js";
import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "../support/go-payloads.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

/**
 * Property-based fuzzing of every endpoint, in process (`app.request`), on the test database tier (PGlite, or the
 * PostgreSQL of TEST_DATABASE_URL). Each generated request must answer below 500, every error as
 * `application/problem+json`; a refused write must store nothing; and afterwards every read still answers.
 * `FUZZ_RUNS` sets the number of requests (default 6,000: CI runs it on both tiers, 12,000 in all), `FUZZ_SEED` repeats a run;
 * a failure prints the seed and the shrunk request.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6_000);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);

let deep: unknown = "bottom";
for (let i = 0; i < 64; i++) deep = { d: deep };

/** What broke the service or a read before: NUL, surrogates, out-of-range numbers and times, deep nesting. */
const hostile = fc.constantFrom<unknown>(
  "a\u0000b",
  "\u0000",
  "\uD800",
  "x\uDC00y",
  "🚀",
  "=cmd|' /C calc'!A0",
  "",
  " ",
  "x".repeat(300),
  -1,
  0,
  -0,
  1.5,
  3e9,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
  1e39,
  -1e39,
  1e-50,
  "-5s",
  "99999999999999999999h",
  "1e400s",
  ".5s",
  "0",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "2026-01-01T00:00:00+16:00",
  "2026-01-01T00:00:00-15:59",
  "9999-12-31T23:59:59.999999999Z",
  "2026-02-30T00:00:00Z",
  "not a time",
  null,
  true,
  [],
  {},
  [null],
  { "k\u0000": 1 },
  deep,
);

const value = fc.oneof(
  { weight: 3, arbitrary: hostile },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A base payload with some of its fields (or new ones) set to hostile values. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...Object.keys(base), "extra", "event_id", "occurred_at"];
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 3 })
    .map((changes) => ({ ...base, ...Object.fromEntries(changes) }));
}

const recommendationsEvent = {
  ...goAIAnalysisInvestigationComplete,
  trigger: "recommendations_generated",
  recommendations: [{ action: "restart-pod", effectivenessProbability: 0.7, rank: 1 }],
};
const processingWithPhase = (duration: unknown) => ({
  ...goRemediationProcessingAudit,
  processing_phases: [{ ...goRemediationProcessingAudit.processing_phases[0], duration }],
});

type FuzzRequest = { method: "GET" | "POST" | "DELETE"; path: string; body?: unknown; accept?: string };

const write = fc.oneof(
  mutated(goRemediationOrchestrationAudit).map((body) => ({
    path: "/api/v1/audit/remediation-orchestration",
    body,
  })),
  mutated(goRemediationProcessingAudit).map((body) => ({ path: "/api/v1/audit/alert-processing", body })),
  value.map((duration) => ({ path: "/api/v1/audit/alert-processing", body: processingWithPhase(duration) })),
  mutated(goAIAnalysisInvestigationComplete).map((body) => ({ path: "/api/v1/audit/ai-analysis", body })),
  mutated(recommendationsEvent).map((body) => ({ path: "/api/v1/audit/ai-analysis", body })),
  fc.tuple(value, fc.integer({ min: 0, max: 1535 })).map(([v, i]) => ({
    path: "/api/v1/audit/ai-analysis",
    body: { ...recommendationsEvent, recommendations: [{ action: "restart", extra: v, rank: i }] },
  })),
  fc
    .array(mutated({ kind: "remediation-orchestration", ...goRemediationOrchestrationAudit }), {
      maxLength: 4,
    })
    .map((records) => ({ path: "/api/v1/audit/batch", body: { records } })),
  fc.tuple(value, fc.integer({ min: 0, max: 1535 })).map(([v, i]) => ({
    path: "/api/v1/embeddings/investigations",
    body: {
      alert_fingerprint: "fuzz",
      investigation_text: "fuzz",
      embedding: Array.from({ length: 1536 }, (_, j) => (j === i ? v : 0.01)),
    },
  })),
  mutated({ alert_fingerprint: "fuzz", investigation_text: "memory limit too low" }).map((body) => ({
    path: "/api/v1/embeddings/investigations",
    body,
  })),
  mutated({ text: "memory", k: 3 }).map((body) => ({
    path: "/api/v1/embeddings/investigations/search",
    body,
  })),
  mutated({ correlation_id: "rr-fuzz", reason: "fuzz", requested_by: "fuzz" }).map((body) => ({
    path: "/api/v1/audit/legal-holds",
    body,
  })),
);

const queryValue = fc.oneof(
  fc.constantFrom("7d", "740000d", "0s", "-5s", "1h30m", "2s", "a%00b", "%ED%A0%80", "0000-01-01T00:00:00Z"),
  fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:00:00%2B16:00", "xyz", "", "10", "-1", "1e400"),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const queryParam = fc.tuple(
  fc.constantFrom(
    "window",
    "since",
    "until",
    "threshold",
    "limit",
    "cursor",
    "fingerprint",
    "reason",
    "environment",
  ),
  queryValue,
);
const read = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...ANALYTICS_DEFINITIONS.map((d) => d.name)),
      fc.array(queryParam, { maxLength: 3 }),
    )
    .map(([name, params]) => `/api/v1/analytics/${name}?${params.map(([k, v]) => `${k}=${v}`).join("&")}`),
  fc
    .tuple(
      fc.constantFrom("remediation-orchestration", "alert-processing", "ai-analysis", "legal-holds"),
      fc.array(queryParam, { maxLength: 3 }),
    )
    .map(([list, params]) => `/api/v1/audit/${list}?${params.map(([k, v]) => `${k}=${v}`).join("&")}`),
  fc
    .tuple(queryValue, fc.array(queryParam, { maxLength: 2 }))
    .map(
      ([fp, params]) =>
        `/api/v1/audit/timeline/${fp || "x"}?${params.map(([k, v]) => `${k}=${v}`).join("&")}`,
    ),
);

const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 3, arbitrary: write.map((w) => ({ method: "POST" as const, ...w })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(read, fc.boolean())
      .map(([path, csv]) => ({ method: "GET" as const, path, ...(csv ? { accept: "text/csv" } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(queryValue, mutated({ released_by: "fuzz" })).map(([id, body]) => ({
      method: "DELETE" as const,
      path: `/api/v1/audit/legal-holds/${id || "x"}`,
      body,
    })),
  },
);

let t: TestApp;
const figures = { requests: 0, serverErrors: 0, wronglyStored: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  const statuses = [...figures.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  console.log(
    `fuzz (seed ${SEED}): ${figures.requests} requests, ${figures.serverErrors} answered 5xx, ` +
      `${figures.wronglyStored} refused writes stored something; by status ${statuses.join(", ")}`,
  );
});

async function storedRows(): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM remediation_audit)
       + (SELECT count(*) FROM alert_processing_audit) + (SELECT count(*) FROM ai_analysis_audit)
       + (SELECT count(*) FROM ai_investigation_embeddings) + (SELECT count(*) FROM legal_holds) AS n`,
  );
  return Number(row?.n);
}

async function send(req: FuzzRequest): Promise<Response> {
  const headers: Record<string, string> = {};
  if (req.accept) headers.Accept = req.accept;
  if (req.body === undefined) return t.app.request(req.path, { method: req.method, headers });
  headers["Content-Type"] = "application/json";
  return t.app.request(req.path, { method: req.method, headers, body: JSON.stringify(req.body) });
}

describe("fuzzing every endpoint", () => {
  it(`answers ${RUNS} generated requests without a 5xx, and refused writes store nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const before = req.method === "GET" ? 0 : await storedRows();
        const res = await send(req);
        const text = await res.text();
        figures.requests++;
        figures.byStatus.set(res.status, (figures.byStatus.get(res.status) ?? 0) + 1);
        if (res.status >= 500) figures.serverErrors++;
        expect(res.status, `${req.method} ${req.path}: ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get("content-type"), `${req.method} ${req.path}`).toBe(
            "application/problem+json",
          );
          if (req.method !== "GET") {
            const after = await storedRows();
            if (after !== before) figures.wronglyStored++;
            expect(after, `${req.method} ${req.path} was refused (${res.status}) but stored rows`).toBe(
              before,
            );
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 1_800_000);

  it("leaves every read endpoint answering, JSON and CSV", async () => {
    const reads = [
      "/api/v1/audit/timeline/mem-pressure-prod-123",
      "/api/v1/audit/remediation-orchestration",
      "/api/v1/audit/alert-processing",
      "/api/v1/audit/ai-analysis",
      "/api/v1/audit/legal-holds",
      ...ANALYTICS_DEFINITIONS.map((d) => `/api/v1/analytics/${d.name}?window=36500d`),
    ];
    for (const path of reads) {
      expect((await t.get(path)).status, path).toBe(200);
      if (path.includes("/analytics/"))
        expect((await t.get(path, { Accept: "text/csv" })).status, path).toBe(200);
    }
    const search = await t.post("/api/v1/embeddings/investigations/search", { text: "memory limit", k: 5 });
    expect(search.status).toBe(200);
  });
});
