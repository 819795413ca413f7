import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAnalyses } from "../support/dataset.js";
import { seedQuery } from "../support/seed-queries.js";

/** Seed 000's ai_analysis_audit queries, unchanged, over the dataset of `insertAnalyses`. */
describe("seed 000 queries on ai_analysis_audit", () => {
  let t: TestDatabase;
  const run = (name: string) => t.database.execute(sql.raw(seedQuery(name)));

  beforeEach(async () => {
    t = await createTestDatabase();
    await insertAnalyses(t.db);
  });
  afterEach(() => t.close());

  it("ranks recommended actions by mean effectiveness among completed analyses", async () => {
    const rows = await run("historical-success-rate");
    expect(
      rows.map((r) => [
        r.top_recommendation,
        Number(r.avg_effectiveness),
        Number(r.avg_historical_success),
        r.total_recommendations,
      ]),
    ).toEqual([
      ["restart_pod", 0.85, 0.8, 2],
      ["scale_deployment", 0.6, 0.5, 1],
    ]);
  });

  it("averages investigation duration and confidence per environment", async () => {
    const rows = await run("investigation-performance");
    const byEnvironment = Object.fromEntries(
      rows.map((r) => [
        r.environment,
        [Number(r.avg_duration), Number(r.avg_confidence), r.total_investigations],
      ]),
    );
    expect(byEnvironment).toEqual({ production: [2000, 0.8, 2], staging: [3000, 0.6, 3] });
  });

  it("counts hallucinations per day, newest day first", async () => {
    const rows = await run("hallucination-trends");
    expect(rows.map((r) => [r.date, r.hallucinations, r.total_analyses])).toEqual([
      ["2026-01-10", 1, 2],
      ["2026-01-09", 1, 3],
    ]);
    expect(rows[0]?.hallucination_rate).toBeCloseTo(0.5, 10);
    expect(rows[1]?.hallucination_rate).toBeCloseTo(1 / 3, 10);
  });
});
