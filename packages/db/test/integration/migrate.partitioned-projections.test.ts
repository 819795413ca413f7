import type { TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigration, databaseBefore } from "../support/migrations.js";

/**
 * Migration `0010_partitioned-projections` on a database that already holds rows: every projection row moves
 * into the partition of its month with its id, every key into its table's key table, the archives keep their
 * rows; `audit_events` keeps its months and held rows on one level; and holds still refuse deletes and truncates.
 */
const PARTITIONING = "0010_partitioned-projections";

let t: TestDatabase;

beforeAll(async () => {
  t = await databaseBefore(PARTITIONING);
});
afterAll(() => t?.close());

const months = sql`LATERAL (SELECT timestamptz '2025-01-10T00:00:00Z' + (i % 3) * interval '1 month' AS at) x`;

describe(`migration ${PARTITIONING} on stored rows`, () => {
  it("moves every row into its month's partition with its id, and records every key", async () => {
    const db = t.database;
    await db.execute(sql`
      INSERT INTO remediation_audit (alert_fingerprint, remediation_name, overall_phase, start_time, created_at, updated_at)
      SELECT 'fp-' || (i % 2), 'rr-' || i, 'completed', at, at, at FROM generate_series(1, 9) AS i, ${months}`);
    await db.execute(sql`
      INSERT INTO alert_processing_audit (remediation_id, alert_fingerprint, processing_phases, status, created_at, updated_at)
      SELECT 'rr-' || i, 'fp-' || (i % 2), '[]'::jsonb, 'completed', at, at FROM generate_series(1, 9) AS i, ${months}`);
    await db.execute(sql`
      INSERT INTO ai_analysis_audit (crd_name, crd_namespace, alert_fingerprint, environment, severity, created_at, updated_at)
      SELECT 'ai-' || i, 'ns', 'fp-' || (i % 2), 'production', 'critical', at, at FROM generate_series(1, 9) AS i, ${months}`);
    await db.execute(sql`
      INSERT INTO remediation_audit_archive (id, alert_fingerprint, remediation_name, overall_phase, start_time, created_at)
      VALUES (1000, 'fp-9', 'rr-archived', 'completed', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`);
    await db.execute(sql`SELECT audit_events_partition(at) FROM generate_series(1, 3) AS i, ${months}`);
    await db.execute(sql`
      INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
      SELECT gen_random_uuid(), 'rr-' || i, 'fp-' || (i % 2), 'remediation-orchestration.processing', 'orchestrator',
        at, at, jsonb_build_object('n', i)
      FROM generate_series(1, 9) AS i, ${months}`);
    await db.execute(sql`
      INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload, retained)
      VALUES (gen_random_uuid(), 'rr-kept', 'fp-kept', 'x', 'orchestrator', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '{}', true)`);
    const events = () =>
      db.execute<{ event_id: string; seq: number; home: string }>(
        sql`SELECT event_id::text, seq, tableoid::regclass::text AS home FROM audit_events ORDER BY seq`,
      );
    const storedEvents = await events();
    const read = (table: string) =>
      db.execute<{ id: string; created_at: string; home: string }>(
        sql.raw(
          `SELECT id::text, created_at::text, tableoid::regclass::text AS home FROM ${table} ORDER BY id`,
        ),
      );
    const stored = {
      remediation_audit: await read("remediation_audit"),
      alert_processing_audit: await read("alert_processing_audit"),
      ai_analysis_audit: await read("ai_analysis_audit"),
    };

    await applyMigration(t, PARTITIONING);

    for (const [table, rows] of Object.entries(stored)) {
      const moved = await read(table);
      expect(moved.map(({ home: _home, ...row }) => row)).toEqual(rows.map(({ home: _home, ...row }) => row));
      expect([...new Set(moved.map((row) => row.home))].sort()).toEqual([
        `${table}_2025_01`,
        `${table}_2025_02`,
        `${table}_2025_03`,
      ]);
    }
    expect(await events()).toEqual(storedEvents);
    expect([...new Set(storedEvents.map((row) => row.home))].sort()).toEqual([
      "audit_events_2025_01",
      "audit_events_2025_02",
      "audit_events_2025_03",
      "audit_events_held",
    ]);
    // Every partitioned table is partitioned on one level, by range of (retained, its time).
    const partitioned = await db.execute<{ name: string; key: string }>(sql`
      SELECT partrelid::regclass::text AS name, pg_get_partkeydef(partrelid) AS key
      FROM pg_partitioned_table ORDER BY 1`);
    expect(partitioned).toEqual([
      { name: "ai_analysis_audit", key: "RANGE (retained, created_at)" },
      { name: "alert_processing_audit", key: "RANGE (retained, created_at)" },
      { name: "audit_events", key: "RANGE (retained, received_at)" },
      { name: "remediation_audit", key: "RANGE (retained, created_at)" },
    ]);
    // audit_events is still append-only.
    expect(
      await db.execute(sql`UPDATE audit_events SET event_type = 'x' WHERE correlation_id = 'rr-1'`).then(
        () => "done",
        (err: unknown) => String((err as Error).cause ?? err),
      ),
    ).toMatch(/audit_events is append-only: UPDATE is refused/);
    const [keys] = await db.execute<{ remediation: number; processing: number; ai: number }>(sql`
      SELECT (SELECT count(*) FROM remediation_audit_keys k JOIN remediation_audit r USING (remediation_name, created_at, retained)) AS remediation,
        (SELECT count(*) FROM alert_processing_audit_keys k JOIN alert_processing_audit r USING (remediation_id, created_at, retained)) AS processing,
        (SELECT count(*) FROM ai_analysis_audit_keys k JOIN ai_analysis_audit r USING (crd_namespace, crd_name, created_at, retained)) AS ai`);
    expect(keys).toEqual({ remediation: 9, processing: 9, ai: 9 });
    const [archived] = await db.execute<{ name: string; retained: boolean }>(
      sql`SELECT remediation_name AS name, retained FROM remediation_audit_archive`,
    );
    expect(archived).toEqual({ name: "rr-archived", retained: false });
    // The ids go on after the moved rows.
    const [next] = await db.execute<{ id: number }>(sql`SELECT nextval('remediation_audit_id_seq') AS id`);
    expect(next?.id).toBeGreaterThan(9);

    // Holds still refuse deletes, on every projection and on a partition as on its parent, and truncates.
    await db.execute(
      sql`INSERT INTO legal_holds (alert_fingerprint, reason, requested_by) VALUES ('fp-1', 'case', 'legal@example.com')`,
    );
    const refused = (statement: string) =>
      db.execute(sql.raw(statement)).then(
        () => "done",
        (err: unknown) => String((err as Error).cause ?? err),
      );
    expect(await refused("DELETE FROM remediation_audit WHERE alert_fingerprint = 'fp-1'")).toMatch(
      /a row of remediation_audit is under legal hold/,
    );
    expect(
      await refused("DELETE FROM alert_processing_audit_2025_02 WHERE alert_fingerprint = 'fp-1'"),
    ).toMatch(/a row of alert_processing_audit is under legal hold/);
    expect(await refused("DELETE FROM ai_analysis_audit WHERE alert_fingerprint = 'fp-1'")).toMatch(
      /a row of ai_analysis_audit is under legal hold/,
    );
    expect(await refused("TRUNCATE remediation_audit_2025_01")).toMatch(
      /under legal hold .*cannot be truncated/,
    );
    expect(await refused("DELETE FROM remediation_audit WHERE alert_fingerprint = 'fp-0'")).toBe("done");
  });

  it("keeps the next months' partitions created, for the events and every projection", async () => {
    const rows = await t.database.execute<{ name: string }>(
      sql`SELECT name FROM ensure_month_partitions('2031-12-15T00:00:00Z', 1) AS name ORDER BY name`,
    );
    expect(rows.map((row) => row.name)).toEqual([
      "ai_analysis_audit_2031_12",
      "ai_analysis_audit_2032_01",
      "alert_processing_audit_2031_12",
      "alert_processing_audit_2032_01",
      "audit_events_2031_12",
      "audit_events_2032_01",
      "remediation_audit_2031_12",
      "remediation_audit_2032_01",
    ]);
  });
});
