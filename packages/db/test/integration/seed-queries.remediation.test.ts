import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertRemediations } from "../support/dataset.js";
import { seedQuery } from "../support/seed-queries.js";

/** Seed 003's remediation_audit queries, unchanged, over the dataset of `insertRemediations`. */
describe("seed 003 queries on remediation_audit", () => {
  let t: TestDatabase;
  const run = (name: string) => t.database.execute(sql.raw(seedQuery(name)));

  beforeEach(async () => {
    t = await createTestDatabase();
    await insertRemediations(t.db);
  });
  afterEach(() => t.close());

  it("lists the attempts for one alert, newest first, with their durations", async () => {
    const rows = await run("remediation-attempts-for-alert");
    expect(
      rows.map((r) => [r.remediation_name, r.overall_phase, Number(r.duration_seconds), r.failure_phase]),
    ).toEqual([
      ["rr-m2", "completed", 60, null],
      ["rr-m1", "failed", 30, "ai_analysis"],
      ["rr-old1", "completed", 50, null],
    ]);
    expect(rows[1]?.failure_reason).toBe("AI service timeout");
  });

  it("computes the success rate per phase over the last 7 days", async () => {
    const rows = await run("orchestration-success-rate");
    const byPhase = Object.fromEntries(
      rows.map((r) => [r.overall_phase, [r.total, r.successful, r.failed, Number(r.success_rate_pct)]]),
    );
    expect(byPhase).toEqual({
      completed: [3, 3, 0, 100],
      failed: [3, 0, 3, 0],
      executing: [1, 0, 0, 0],
    });
  });

  it("computes the mean, median and 95th percentile duration per phase", async () => {
    const rows = await run("duration-by-phase");
    const byPhase = Object.fromEntries(rows.map((r) => [r.overall_phase, r]));
    expect(Object.keys(byPhase).sort()).toEqual(["completed", "failed"]);
    // completed: 60, 120, 300 s; failed: 30, 45, 90 s (percentile_cont interpolates)
    expect(byPhase.completed?.total_remediations).toBe(3);
    expect(Number(byPhase.completed?.avg_duration_seconds)).toBeCloseTo(160, 6);
    expect(Number(byPhase.completed?.p50_duration)).toBeCloseTo(120, 6);
    expect(Number(byPhase.completed?.p95_duration)).toBeCloseTo(282, 6);
    expect(byPhase.failed?.total_remediations).toBe(3);
    expect(Number(byPhase.failed?.avg_duration_seconds)).toBeCloseTo(55, 6);
    expect(Number(byPhase.failed?.p50_duration)).toBeCloseTo(45, 6);
    expect(Number(byPhase.failed?.p95_duration)).toBeCloseTo(85.5, 6);
  });

  it("lists the slowest completed orchestrations of the last 24 hours with their child statuses", async () => {
    const rows = await run("slowest-orchestrations");
    expect(rows.map((r) => [r.remediation_name, Number(r.duration_seconds)])).toEqual([
      ["rr-d1", 90],
      ["rr-m2", 60],
      ["rr-d2", 45],
      ["rr-m1", 30],
    ]);
    expect(rows[1]?.service_crd_statuses).toEqual({ aiAnalysis: { phase: "completed", success: true } });
  });

  it("ranks failure phases with the alerts they affected and sample reasons", async () => {
    const rows = await run("common-failure-phases");
    expect(
      rows.map((r) => [r.failure_phase, r.failure_count, r.unique_alerts_affected, r.sample_reasons]),
    ).toEqual([
      ["ai_analysis", 2, 2, ["AI service timeout"]],
      ["workflow_execution", 1, 1, ["step 2 failed: permission denied"]],
    ]);
  });

  it("finds alerts retried in the last 24 hours, with their phase progression", async () => {
    const rows = await run("retry-analysis");
    expect(
      rows.map((r) => [r.alert_fingerprint, r.retry_count, r.phase_progression, r.eventually_successful]),
    ).toEqual([
      ["disk-full-prod-9", 3, ["failed", "failed", "executing"], false],
      ["mem-pressure-prod-123", 2, ["failed", "completed"], true],
    ]);
    expect(typeof rows[0]?.last_attempt).toBe("string");
  });
});
