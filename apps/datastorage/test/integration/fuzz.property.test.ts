import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_DEFINITIONS } from "../../src/routes/analytics/index.js";
import { openAuditLogApp } from "../support/audit-log.js";
import { expectEveryReadAnswers } from "../support/read-sweep.js";
import type { TestApp } from "../support/test-app.js";

/**
 * Property-based fuzzing of every endpoint, in process (`app.request`), on the test database tier (PGlite, or the
 * PostgreSQL of TEST_DATABASE_URL). Each generated request must answer below 500, every error as an
 * `application/problem+json` problem with its status, refused by a contract and never by the database (nothing
 * unvalidated reaches PostgreSQL); a refused write must store nothing (no row added, no hold
 * released); and afterwards every read (from the OpenAPI document, JSON and CSV) still answers 200.
 * `FUZZ_RUNS` sets the number of requests (default 10,000: CI runs it on both tiers, 20,000 in all), `FUZZ_SEED`
 * repeats a run; a failure prints the seed and the shrunk request (fast-check's report), and every run logs its seed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
const DIMENSIONS = 1536;

let deep: unknown = "bottom";
for (let i = 0; i < 64; i++) deep = { d: deep };
const deepArrays = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;

/** What broke the service or a read before: NUL, surrogates, out-of-range numbers, durations and times, nesting. */
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
  2 ** 53,
  1e19,
  1e39,
  -1e39,
  1e-50,
  "-5s",
  "-0",
  "+5s",
  "5.s",
  "99999999999999999999h",
  "9007199254740992ns",
  "2501h59m59.254740991s",
  "1e400s",
  ".5s",
  "0",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "0001-01-01T00:30:00+15:59",
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
  { "\uD800": "x" },
  deep,
);
const hostileKey = fc.constantFrom(
  "k\u0000",
  "\uD800",
  "\uDC00k",
  "__proto__",
  "constructor",
  "",
  "x".repeat(300),
);

const value = fc.oneof(
  { weight: 3, arbitrary: hostile },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A base payload with some of its fields (or new ones, hostile names included) set to hostile values. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...Object.keys(base), "extra", "event_id", "occurred_at") },
    { weight: 1, arbitrary: hostileKey },
  );
  return fc
    .array(fc.tuple(keys, value), { maxLength: 3 })
    .map((changes) => ({ ...base, ...Object.fromEntries(changes) }));
}

/** Vectors: one hostile element among ordinary ones, or the same size everywhere (the float4 norm edges). */
const embedding = fc.oneof(
  fc
    .tuple(value, fc.integer({ min: 0, max: DIMENSIONS - 1 }))
    .map(([v, i]) => Array.from({ length: DIMENSIONS }, (_, j) => (j === i ? v : 0.01))),
  fc
    .constantFrom(0, 1e-30, 1e-22, 0.5, 1e17, 1e18, 1e19, 3e38)
    .map((v) => Array.from({ length: DIMENSIONS }, () => v)),
  fc.integer({ min: 0, max: DIMENSIONS + 1 }).map((n) => Array.from({ length: n }, () => 0.5)),
);

const recommendationsEvent = {
  ...goAIAnalysisInvestigationComplete,
  trigger: "recommendations_generated",
  recommendations: [{ action: "restart-pod", effectivenessProbability: 0.7, rank: 1 }],
};
const processingWithPhase = (duration: unknown) => ({
  ...goRemediationProcessingAudit,
  processing_phases: [{ ...goRemediationProcessingAudit.processing_phases[0], duration }],
});
const hold = { reason: "case 42", requested_by: "legal@example.com" };

/** `$id:<table>` and `$hold` in a path are filled at send time with an id the database holds. */
type FuzzRequest = {
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  /** Sent as it is, instead of `body` as JSON. */
  raw?: string;
  headers?: Record<string, string>;
};

const post =
  (path: string) =>
  (body: unknown): FuzzRequest => ({ method: "POST", path, body });

const write: fc.Arbitrary<FuzzRequest> = fc.oneof(
  mutated(goRemediationOrchestrationAudit).map(post("/api/v1/audit/remediation-orchestration")),
  mutated(goRemediationProcessingAudit).map(post("/api/v1/audit/alert-processing")),
  value.map((duration) => post("/api/v1/audit/alert-processing")(processingWithPhase(duration))),
  mutated(goAIAnalysisInvestigationComplete).map(post("/api/v1/audit/ai-analysis")),
  mutated(recommendationsEvent).map(post("/api/v1/audit/ai-analysis")),
  fc.tuple(value, hostileKey, fc.integer({ min: -1, max: 2 ** 31 })).map(([v, key, rank]) =>
    post("/api/v1/audit/ai-analysis")({
      ...recommendationsEvent,
      recommendations: [{ action: "restart", extra: v, [key]: v, rank }],
    }),
  ),
  fc
    .array(
      fc.oneof(
        mutated({ kind: "remediation-orchestration", ...goRemediationOrchestrationAudit }),
        mutated({ kind: "alert-processing", ...goRemediationProcessingAudit }),
        mutated({ kind: "ai-analysis", ...goAIAnalysisInvestigationComplete }),
      ),
      { maxLength: 4 },
    )
    .map((records) => post("/api/v1/audit/batch")({ records })),
  embedding.map((vector) =>
    post("/api/v1/embeddings/investigations")({
      alert_fingerprint: "fuzz",
      investigation_text: "fuzz",
      embedding: vector,
    }),
  ),
  mutated({ alert_fingerprint: "fuzz", investigation_text: "memory limit too low" }).map(
    post("/api/v1/embeddings/investigations"),
  ),
  mutated({ text: "memory", k: 3 }).map(post("/api/v1/embeddings/investigations/search")),
  fc
    .tuple(embedding, value)
    .map(([vector, k]) =>
      post("/api/v1/embeddings/investigations/search")({ vector, k: typeof k === "number" ? k : 5 }),
    ),
  fc
    .oneof(
      mutated({ correlation_id: "rr-fuzz", ...hold }),
      mutated({ alert_fingerprint: "mem-pressure-prod-123", ...hold }),
      mutated({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", ...hold }),
      mutated({ correlation_id: "rr-fuzz", expires_at: "2099-01-01T00:00:00Z", ...hold }),
    )
    .map(post("/api/v1/audit/legal-holds")),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    "7d",
    "36500d",
    "36501d",
    "740000d",
    "0s",
    "-5s",
    "1h30m",
    "2s",
    ".5d",
    "9007199254740992ns",
  ),
  fc.constantFrom("a%00b", "%ED%A0%80", "%00", "0000-01-01T00:00:00Z", "0001-01-01T00:30:00%2B15:59"),
  fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:00:00%2B16:00", "9999-12-31T23:59:59.999999999Z"),
  fc.constantFrom(
    "xyz",
    "",
    "10",
    "-1",
    "1e400",
    "true",
    "false",
    "eyJ4IjoxfQ",
    "WyIwMDAwLTAxLTAxVDAwOjAwOjAwWiIsIjEiXQ",
  ),
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
    "phase",
    "status",
    "active",
    "%00",
  ),
  queryValue,
);
const query = fc
  .array(queryParam, { maxLength: 3 })
  .map((params) => (params.length === 0 ? "" : `?${params.map(([k, v]) => `${k}=${v}`).join("&")}`));
const idOrHostile = (table: string) =>
  fc.oneof(
    fc.constant(`$id:${table}`),
    queryValue.map((v) => v || "x"),
    fc.constant("9223372036854775808"),
  );

const read: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...ANALYTICS_DEFINITIONS.map((d) => d.name)), query)
        .map(([name, q]) => `/api/v1/analytics/${name}${q}`),
      fc
        .tuple(
          fc.constantFrom("remediation-orchestration", "alert-processing", "ai-analysis", "legal-holds"),
          query,
        )
        .map(([list, q]) => `/api/v1/audit/${list}${q}`),
      fc
        .tuple(fc.constantFrom("remediation-orchestration", "alert-processing", "ai-analysis"))
        .chain(([table]) => idOrHostile(table).map((id) => `/api/v1/audit/${table}/${id}`)),
      fc
        .tuple(fc.oneof(fc.constant("mem-pressure-prod-123"), queryValue), query)
        .map(([fp, q]) => `/api/v1/audit/timeline/${fp || "x"}${q}`),
      fc.constantFrom("/healthz", "/readyz", "/api/v1/limits", "/metrics"),
    ),
    fc.constantFrom("application/json", "text/csv", "*/*", "text/html", "application/xml;q=0.1"),
  )
  .map(([path, accept]): FuzzRequest => ({ method: "GET", path, headers: { Accept: accept } }));

const release: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      fc.constant("$hold"),
      queryValue.map((v) => v || "x"),
    ),
    mutated({ released_by: "fuzz" }),
  )
  .map(([id, body]): FuzzRequest => ({ method: "DELETE", path: `/api/v1/audit/legal-holds/${id}`, body }));

/** Bodies that are not JSON, or not the JSON asked for, or sent compressed. */
const raw: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom(
      "/api/v1/audit/remediation-orchestration",
      "/api/v1/audit/batch",
      "/api/v1/embeddings/investigations/search",
      "/api/v1/audit/legal-holds",
    ),
    fc.constantFrom("", "{", "null", "[]", '"x"', "1e999", '{"a":1,"a":2}', deepArrays, "\u0000", "{}"),
    fc.constantFrom<Record<string, string>>(
      { "Content-Type": "application/json" },
      { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      { "Content-Type": "application/json", "Content-Encoding": "identity" },
      { "Content-Type": "text/plain" },
      {},
    ),
  )
  .map(([path, body, headers]): FuzzRequest => ({ method: "POST", path, raw: body, headers }));

const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 8, arbitrary: write },
  { weight: 5, arbitrary: read },
  { weight: 1, arbitrary: release },
  { weight: 1, arbitrary: raw },
);

let t: TestApp;
const figures = {
  requests: 0,
  serverErrors: 0,
  databaseRefusals: 0,
  wronglyStored: 0,
  byStatus: new Map<number, number>(),
};

beforeAll(async () => {
  t = await openAuditLogApp();
});
afterAll(async () => {
  await t.close();
  const statuses = [...figures.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  console.log(
    `fuzz (seed ${SEED}): ${figures.requests} requests, ${figures.serverErrors} answered 5xx, ` +
      `${figures.databaseRefusals} refused by the database rather than a contract, ` +
      `${figures.wronglyStored} refused writes stored something; by status ${statuses.join(", ")}`,
  );
});

/** Rows in every table a request writes, and holds released: a refused request must change neither. */
async function stored(): Promise<string> {
  const [row] = await t.query<{ rows: number; released: number }>(
    `SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM remediation_audit)
       + (SELECT count(*) FROM alert_processing_audit) + (SELECT count(*) FROM ai_analysis_audit)
       + (SELECT count(*) FROM ai_investigation_embeddings) + (SELECT count(*) FROM legal_holds) AS rows,
       (SELECT count(*) FROM legal_holds WHERE released_at IS NOT NULL) AS released`,
  );
  return `${row?.rows} rows, ${row?.released} holds released`;
}

const ID_TABLES: Record<string, string> = {
  "remediation-orchestration": "remediation_audit",
  "alert-processing": "alert_processing_audit",
  "ai-analysis": "ai_analysis_audit",
};

/** The path with `$id:<table>` / `$hold` replaced by a stored id (or one that was never stored). */
async function concretePath(path: string): Promise<string> {
  const placeholder = /\$id:([a-z-]+)|\$hold/.exec(path);
  if (!placeholder) return path;
  const table = placeholder[1] ? ID_TABLES[placeholder[1]] : "legal_holds";
  const [row] = await t.query<{ id: string }>(
    `SELECT id::text AS id FROM ${table} ORDER BY random() LIMIT 1`,
  );
  const id = row?.id ?? (table === "remediation_audit" ? "1" : "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10");
  return path.replace(placeholder[0], id);
}

async function send(req: FuzzRequest): Promise<Response> {
  const path = await concretePath(req.path);
  const headers: Record<string, string> = { ...req.headers };
  if (req.raw !== undefined) return t.app.request(path, { method: req.method, headers, body: req.raw });
  if (req.body === undefined) return t.app.request(path, { method: req.method, headers });
  headers["Content-Type"] = "application/json";
  return t.app.request(path, { method: req.method, headers, body: JSON.stringify(req.body) });
}

describe("fuzzing every endpoint", () => {
  it(`answers ${RUNS} generated requests without a 5xx, every error a problem, and refused writes store nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const before = req.method === "GET" ? "" : await stored();
        const res = await send(req);
        const text = await res.text();
        figures.requests++;
        figures.byStatus.set(res.status, (figures.byStatus.get(res.status) ?? 0) + 1);
        if (res.status >= 500) figures.serverErrors++;
        const what = `${req.method} ${req.path} → ${res.status}: ${text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get("content-type"), what).toBe("application/problem+json");
          const problem = JSON.parse(text) as { status?: number; type?: string };
          expect(problem.status, what).toBe(res.status);
          // The contracts refuse what PostgreSQL cannot store: nothing unvalidated reaches the database.
          if (problem.type?.endsWith("/unstorable-value")) figures.databaseRefusals++;
          expect(problem.type, `${what}: the database refused it, not the contract`).not.toMatch(
            /\/unstorable-value$/,
          );
          if (req.method !== "GET") {
            const after = await stored();
            if (after !== before) figures.wronglyStored++;
            expect(after, `${what}: refused, but it changed what is stored`).toBe(before);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 1_800_000);

  it("leaves every read endpoint answering 200, JSON and CSV, with no similarity null", async () => {
    const vectors = [0.5, 1e-22, 1e17].map((v) => Array.from({ length: DIMENSIONS }, () => v));
    expect(await expectEveryReadAnswers(t, "mem-pressure-prod-123", vectors)).toBeGreaterThan(20);
  });
});
