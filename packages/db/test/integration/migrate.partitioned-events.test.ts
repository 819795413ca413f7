import type { TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigration, databaseBefore } from "../support/migrations.js";

/**
 * Migration `0009_partitioned-audit-events` on a database that already holds records: every row moves into the
 * partition of its month with its `seq`, every id into `audit_event_ids`, and the triggers and the hold function
 * work on the new table.
 */
const PARTITIONING = "0009_partitioned-audit-events";

let t: TestDatabase;

beforeAll(async () => {
  t = await databaseBefore(PARTITIONING);
});
afterAll(() => t?.close());

describe(`migration ${PARTITIONING} on stored records`, () => {
  it("moves every record into its month's partition with its seq, and claims every id", async () => {
    await t.database.execute(sql`
      INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
      SELECT gen_random_uuid(), 'rr-' || (i % 3), 'fp-1', 'remediation-orchestration.processing', 'orchestrator',
        at, at, jsonb_build_object('n', i)
      FROM generate_series(1, 30) AS i,
        LATERAL (SELECT timestamptz '2025-01-10T00:00:00Z' + (i % 3) * interval '1 month' AS at) x`);
    const stored = await t.database.execute<{ event_id: string; seq: number; received_at: string }>(
      sql`SELECT event_id::text, seq, received_at::text FROM audit_events ORDER BY seq`,
    );

    await applyMigration(t, PARTITIONING);
    const database = t.database;
    const moved = await database.execute<{
      event_id: string;
      seq: number;
      received_at: string;
      home: string;
    }>(
      sql`SELECT event_id::text, seq, received_at::text, tableoid::regclass::text AS home FROM audit_events ORDER BY seq`,
    );
    expect(moved.map(({ home: _home, ...row }) => row)).toEqual(stored);
    expect([...new Set(moved.map((row) => row.home))].sort()).toEqual([
      "audit_events_2025_01",
      "audit_events_2025_02",
      "audit_events_2025_03",
    ]);
    const [ids] = await database.execute<{ n: number }>(
      sql`SELECT count(*) AS n FROM audit_event_ids WHERE event_id IN (SELECT event_id FROM audit_events)`,
    );
    expect(ids?.n).toBe(30);
    // The sequence goes on after the moved rows.
    const [next] = await database.execute<{ seq: number }>(
      sql`SELECT nextval('audit_events_seq_seq') AS seq`,
    );
    expect(next?.seq).toBeGreaterThan(Math.max(...stored.map((row) => row.seq)));
    // Still append-only, and holds still refuse deletes.
    await database.execute(
      sql`INSERT INTO legal_holds (correlation_id, reason, requested_by) VALUES ('rr-1', 'case', 'legal@example.com')`,
    );
    const refusedHeld = await database
      .execute(sql`DELETE FROM audit_events WHERE correlation_id = 'rr-1'`)
      .catch((err: unknown) => String((err as Error).cause ?? err));
    expect(refusedHeld).toMatch(/under legal hold/);
    const refusedUpdate = await database
      .execute(sql`UPDATE audit_events SET event_type = 'x' WHERE correlation_id = 'rr-2'`)
      .catch((err: unknown) => String((err as Error).cause ?? err));
    expect(refusedUpdate).toMatch(/audit_events is append-only: UPDATE is refused/);
  });
});
