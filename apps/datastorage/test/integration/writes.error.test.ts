import { goRemediationOrchestrationAudit, goRemediationProcessingAudit } from "@kubernaut/testing/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../support/test-app.js";

const WRITES = [
  "/api/v1/audit/remediation-orchestration",
  "/api/v1/audit/alert-processing",
  "/api/v1/audit/ai-analysis",
  "/api/v1/audit/batch",
];

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;

beforeEach(async () => {
  t = await openTestApp({ env: { MAX_BATCH_RECORDS: "3", MAX_BODY_BYTES: "4096" } });
});
afterEach(async () => {
  // Whatever was refused, nothing may have been stored.
  const [row] = await t.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM remediation_audit)
       + (SELECT count(*) FROM alert_processing_audit) + (SELECT count(*) FROM ai_analysis_audit) AS n`,
  );
  await t.close();
  expect(Number(row?.n)).toBe(0);
});

async function problem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text) as ProblemBody;
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^https:\/\/kubernaut\.ai\/problems\//);
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe("audit writes refuse bad input with RFC 7807 problems", () => {
  it("400 names each invalid field", async () => {
    const body = await problem(
      await t.post(WRITES[0] as string, {
        ...goRemediationOrchestrationAudit,
        start_time: "0001-01-01T00:00:00Z",
        overall_phase: "",
        surprise: 1,
      }),
      400,
    );
    expect(body.title).toBe("Request validation failed");
    expect(body.errors?.map((e) => e.path).sort()).toEqual(["overall_phase", "start_time", "surprise"]);
    expect(body.errors?.find((e) => e.path === "start_time")?.message).toMatch(/must be set/);
    expect(body.errors?.find((e) => e.path === "surprise")?.message).toBe("unknown field");

    const processing = await problem(
      await t.post(WRITES[1] as string, {
        ...goRemediationProcessingAudit,
        processing_phases: [{ phase: "enriching", duration: "soon" }],
      }),
      400,
    );
    expect(processing.errors).toEqual([
      { path: "processing_phases.0.duration", message: expect.stringMatching(/Go duration/) },
    ]);

    const ai = await problem(await t.post(WRITES[2] as string, { trigger: "guessing" }), 400);
    expect(ai.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(["trigger", "crd_name", "crd_namespace", "alert_fingerprint"]),
    );
  });

  it("400 for malformed JSON and for JSON that is not an object, never a 500", async () => {
    for (const path of WRITES) {
      const malformed = await problem(await t.post(path, '{"records": ['), 400);
      expect(malformed.detail).toMatch(/Malformed JSON/);
      for (const body of ["null", "[]", '"text"', "42", "{}"]) await problem(await t.post(path, body), 400);
    }
  });

  it("415 for a body that is not JSON", async () => {
    for (const path of WRITES) {
      const res = await t.app.request(path, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify(goRemediationOrchestrationAudit),
      });
      expect((await problem(res, 415)).detail).toMatch(/application\/json, got "text\/plain"/);
      const untyped = await t.app.request(path, { method: "POST", body: "{}" });
      await problem(untyped, 415);
    }
  });

  it("413 for a body over MAX_BODY_BYTES", async () => {
    const huge = { ...goRemediationOrchestrationAudit, failure_reason: "x".repeat(5000) };
    const body = await problem(await t.post(WRITES[0] as string, huge), 413);
    expect(body.detail).toMatch(/4096 bytes \(MAX_BODY_BYTES\)/);
  });

  it("413 naming the limit for a batch over MAX_BATCH_RECORDS; 400 for an empty one", async () => {
    const record = {
      kind: "remediation-orchestration",
      alert_fingerprint: "f",
      remediation_name: "r",
      overall_phase: "p",
      start_time: "2026-01-01T00:00:00Z",
    };
    const body = await problem(
      await t.post(WRITES[3] as string, { records: [record, record, record, record] }),
      413,
    );
    expect(body.detail).toBe(
      "a batch holds at most 3 records (MAX_BATCH_RECORDS, see GET /api/v1/limits); this one has 4",
    );
    const empty = await problem(await t.post(WRITES[3] as string, { records: [] }), 400);
    expect(empty.errors).toEqual([{ path: "records", message: "a batch needs at least one record" }]);
    const unknownKind = await problem(
      await t.post(WRITES[3] as string, { records: [{ kind: "gateway" }] }),
      400,
    );
    expect(unknownKind.errors?.[0]?.path).toBe("records.0.kind");
  });

  it("404 as a problem for an unknown route or method, whatever the content type", async () => {
    const unknown = await problem(await t.post("/api/v1/audit/gateway", {}), 404);
    expect(unknown.detail).toBe("no route for POST /api/v1/audit/gateway");
    await problem(await t.get("/api/v2/anything"), 404);
    await problem(await t.app.request("/nowhere", { method: "POST", body: "x" }), 404);
  });

  it("a failing database answers 500 'internal error' without leaking anything", async () => {
    await t.database.close();
    const body = await problem(await t.post(WRITES[0] as string, goRemediationOrchestrationAudit), 500);
    expect(body).toMatchObject({ title: "Internal error", detail: "internal error" });
    t = await openTestApp();
  });
});
