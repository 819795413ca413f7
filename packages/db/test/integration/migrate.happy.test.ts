import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const TABLES = [
  "ai_analysis_audit",
  "ai_analysis_audit_archive",
  "ai_analysis_audit_held",
  "ai_analysis_audit_keys",
  "ai_investigation_embeddings",
  "alert_processing_audit",
  "alert_processing_audit_archive",
  "alert_processing_audit_held",
  "alert_processing_audit_keys",
  "audit_event_ids",
  "audit_events",
  "audit_events_held",
  "audit_log_checkpoints",
  "audit_log_leaves",
  "audit_log_nodes",
  "legal_holds",
  "remediation_audit",
  "remediation_audit_archive",
  "remediation_audit_held",
  "remediation_audit_keys",
  "retention_runs",
];

describe("migrate", () => {
  let t: TestDatabase;

  beforeEach(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterEach(() => t.close());

  const tables = async () =>
    (
      await t.database.execute<{ table_name: string }>(sql`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
    ).map((r) => r.table_name);

  it("creates the vector extension, every table and the HNSW index on an empty database", async () => {
    expect(await tables()).toEqual([]);

    await t.database.migrate();

    const all = await tables();
    const month = /_\d{4}_\d{2}$/;
    expect(all.filter((name) => !month.test(name))).toEqual(TABLES);
    // Each partitioned table's months: this month's and the next three (by the database's clock, in UTC).
    const [months] = await t.database.execute<{ expected: string[] }>(sql`
      SELECT array_agg(p || '_' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i), 'YYYY_MM') ORDER BY p, i) AS expected
      FROM unnest(ARRAY['ai_analysis_audit', 'alert_processing_audit', 'audit_events', 'remediation_audit']) AS p,
        generate_series(0, 3) AS i`);
    expect(all.filter((name) => month.test(name))).toEqual(months?.expected);
    const [extension] = await t.database.execute(
      sql`SELECT extversion FROM pg_extension WHERE extname = 'vector'`,
    );
    expect(extension?.extversion).toMatch(/^0\.\d+\.\d+$/);
    const [index] = await t.database.execute(sql`
      SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_ai_investigation_embeddings_embedding'`);
    expect(index?.indexdef).toContain("USING hnsw (embedding vector_cosine_ops)");
  });

  it("reports pending migrations before and none after", async () => {
    const before = await t.database.migrationStatus();
    expect(before.total).toBeGreaterThanOrEqual(2);
    expect(before).toEqual({ total: before.total, applied: 0, pending: before.total, upToDate: false });

    await t.database.migrate();

    expect(await t.database.migrationStatus()).toEqual({
      total: before.total,
      applied: before.total,
      pending: 0,
      upToDate: true,
    });
  });

  it("applies nothing the second time", async () => {
    await t.database.migrate();
    await t.db.execute(
      sql`INSERT INTO retention_runs (trigger, dry_run, retention_days, cutoff, status) VALUES ('manual', false, 90, now(), 'running')`,
    );

    await t.database.migrate();

    const [runs] = await t.database.execute(sql`SELECT count(*) AS n FROM retention_runs`);
    expect(runs?.n).toBe(1);
  });
});
