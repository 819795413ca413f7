import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertProcessings } from "../support/dataset.js";
import { seedQuery } from "../support/seed-queries.js";

/** Seed 001's alert_processing_audit queries, unchanged, over the dataset of `insertProcessings`. */
describe("seed 001 queries on alert_processing_audit", () => {
  let t: TestDatabase;
  const run = (name: string) => t.database.execute(sql.raw(seedQuery(name)));

  beforeEach(async () => {
    t = await createTestDatabase();
    await insertProcessings(t.db);
  });
  afterEach(() => t.close());

  it("lists every processing record of one alert, newest first", async () => {
    const rows = await run("processing-records-for-alert");
    expect(rows.map((r) => r.remediation_id)).toEqual(["rr-m2", "rr-m1"]);
    expect(rows[1]?.processing_phases).toEqual([
      {
        phase: "enriching",
        start_time: null,
        end_time: null,
        duration: "PT2.5S",
        duration_ns: 2_500_000_000,
      },
    ]);
  });

  it("averages classification confidence per environment over the last 7 days", async () => {
    const rows = await run("classification-accuracy");
    const byEnvironment = Object.fromEntries(rows.map((r) => [r.environment, r]));
    expect(Object.keys(byEnvironment).sort()).toEqual(["production", "staging"]);
    expect(byEnvironment.production?.total_alerts).toBe(2);
    expect(Number(byEnvironment.production?.avg_confidence)).toBeCloseTo(0.8, 10);
    expect(byEnvironment.staging?.total_alerts).toBe(1);
    expect(Number(byEnvironment.staging?.avg_confidence)).toBeCloseTo(0.6, 10);
  });

  it("casts the stored enrichment duration to an interval and finds those over 2 seconds", async () => {
    const rows = await run("slow-enrichment");
    expect(rows.map((r) => [r.remediation_id, r.enrichment_duration])).toEqual([
      ["rr-c1", "00:01:30"],
      ["rr-c0", "00:00:03"],
      ["rr-m1", "00:00:02.5"],
    ]);
  });
});
