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

let t: ReadTestApp;

beforeAll(async () => {
  t = await openReadApp();
  const writes: Array<[string, Record<string, unknown>]> = [
    [
      ORCHESTRATION,
      orchestration({
        remediation_name: "rr-1",
        overall_phase: "failed",
        failure_phase: "analyzing",
        failure_reason: "AI analysis failed: the model did not answer within 60s",
      }),
    ],
    [
      ORCHESTRATION,
      orchestration({
        remediation_name: "rr-2",
        overall_phase: "failed",
        failure_reason: "workflow failed: 100% of pods OOMKilled",
      }),
    ],
    [ORCHESTRATION, orchestration({ remediation_name: "rr-3", overall_phase: "completed" })],
    [
      PROCESSING,
      processing({
        remediation_id: "rr-1",
        status: "failed",
        error_message: "enrichment timed out: Model registry unreachable",
      }),
    ],
    [PROCESSING, processing({ remediation_id: "rr-3", status: "completed" })],
    [
      AI_ANALYSIS,
      aiAnalysis({
        crd_name: "ai-1",
        trigger: "analysis_failed",
        failure_reason: "the model did not answer",
      }),
    ],
    [AI_ANALYSIS, aiAnalysis({ crd_name: "ai-2" })],
  ];
  for (const [path, body] of writes) await t.write(path, body);
});
afterAll(async () => {
  await t.close();
});

const names = async (path: string, query: string, key: string) =>
  ((await t.getJson(`${path}?${query}`)) as { items: Record<string, unknown>[] }).items.map((r) => r[key]);

describe("reason= on the list endpoints", () => {
  it("finds rows whose failure reason contains the text, in any case, on each table", async () => {
    expect(await names(ORCHESTRATION, "reason=MODEL%20did%20not", "remediation_name")).toEqual(["rr-1"]);
    expect(await names(ORCHESTRATION, "reason=failed&phase=failed", "remediation_name")).toEqual([
      "rr-2",
      "rr-1",
    ]);
    expect(await names(PROCESSING, "reason=model", "remediation_id")).toEqual(["rr-1"]);
    expect(await names(AI_ANALYSIS, "reason=model", "crd_name")).toEqual(["ai-1"]);
    expect(await names(ORCHESTRATION, "reason=nothing%20like%20this", "remediation_name")).toEqual([]);
  });

  it("matches LIKE wildcards literally", async () => {
    expect(await names(ORCHESTRATION, "reason=100%25", "remediation_name")).toEqual(["rr-2"]);
    expect(await names(ORCHESTRATION, "reason=%25", "remediation_name")).toEqual(["rr-2"]);
    expect(await names(ORCHESTRATION, "reason=_", "remediation_name")).toEqual([]);
  });

  it("refuses an empty or overlong reason, naming the parameter", async () => {
    for (const query of ["reason=%20", `reason=${"x".repeat(201)}`]) {
      const res = await t.get(`${ORCHESTRATION}?${query}`);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toEqual(["query.reason"]);
    }
  });
});
