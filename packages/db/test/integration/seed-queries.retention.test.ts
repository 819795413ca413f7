import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertRemediations } from "../support/dataset.js";
import { seedQuery } from "../support/seed-queries.js";

/** Seed 003's retention statements, unchanged: the archive copy and the 90-day delete. */
describe("seed 003 retention statements", () => {
  let t: TestDatabase;
  const names = async (table: "remediation_audit" | "remediation_audit_archive") =>
    (
      await t.database.execute(sql.raw(`SELECT remediation_name FROM ${table} ORDER BY remediation_name`))
    ).map((r) => r.remediation_name);

  beforeEach(async () => {
    t = await createTestDatabase();
    await insertRemediations(t.db);
  });
  afterEach(() => t.close());

  it("archives every row older than 90 days, column for column", async () => {
    await t.database.execute(sql.raw(seedQuery("retention-archive")));

    expect(await names("remediation_audit_archive")).toEqual(["rr-old1", "rr-old2"]);
    const [copied] = await t.database.execute(sql`
      SELECT count(*) AS same FROM remediation_audit r JOIN remediation_audit_archive a USING (id)
      WHERE (r.alert_fingerprint, r.overall_phase, r.start_time, r.completion_time, r.created_at)
        IS NOT DISTINCT FROM (a.alert_fingerprint, a.overall_phase, a.start_time, a.completion_time, a.created_at)
        AND a.archived_at IS NOT NULL`);
    expect(copied?.same).toBe(2);
  });

  it("deletes finished rows older than 90 days and keeps unfinished ones", async () => {
    await t.database.execute(sql.raw(seedQuery("retention-delete")));

    const remaining = await names("remediation_audit");
    expect(remaining).toHaveLength(8);
    expect(remaining).not.toContain("rr-old1");
    expect(remaining).toContain("rr-old2");
  });
});
