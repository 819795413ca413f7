import {
  generateSignerKey,
  parseSignerKey,
  RETENTION_CORRELATION_ID,
  signRetentionStatement,
} from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";

/**
 * What someone with SQL access but without the log's key cannot do: have a deletion of their own taken for
 * retention's, whether the record is one retention kept (held) in a month it dropped, or a record deleted beside a
 * retention record they wrote themselves (with the setting the retention job uses).
 */
const NOW = new Date("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
let now = NOW;
let t: AuditLogApp;
let held: string[];
let recent: string[];

beforeAll(async () => {
  t = await openAuditLogApp({ clock: () => now });
  now = new Date(NOW.getTime() - 200 * DAY);
  await t.writeIncident("rr-old", 3);
  held = await t.writeIncident("rr-held", 2);
  now = NOW;
  recent = await t.writeIncident("rr-recent", 2);
  await t.seal();
  const hold = await t.post("/api/v1/audit/legal-holds", {
    correlation_id: "rr-held",
    reason: "litigation 2026-17",
    requested_by: "compliance@example.com",
  });
  expect(hold.status, await hold.clone().text()).toBe(201);
  const outcome = await runRetention(t.deps, {
    trigger: "cli",
    dryRun: false,
    days: 90,
    batchSize: 10,
    eventDays: 90,
  });
  expect(outcome).toMatchObject({ status: "completed", moved: { audit_events: 3 } });
  await t.seal();
});
afterAll(async () => {
  await t.close();
});

describe("retention's word is its signed statement of the exact leaves it deleted", () => {
  it("excuses the records it deleted, and says which leaves in the month's range it kept", async () => {
    const verification = await t.verify("rr-old");
    expect(verification).toMatchObject({ verified: true, problems: [] });
    expect(verification.deleted_by_retention).toHaveLength(3);
    const [event] = await t.query<{ payload: { leaves: number[][]; from_leaf: number; to_leaf: number } }>(
      `SELECT payload FROM audit_events WHERE correlation_id = '${RETENTION_CORRELATION_ID}'`,
    );
    expect(event?.payload).toMatchObject({ from_leaf: 0, to_leaf: 5 });
    expect(event?.payload.leaves.flatMap(([from = 0, to = 0]) => to - from)).toEqual([3]);
  });

  it("a held record deleted afterwards is missing, though inside the range of the month retention dropped", async () => {
    await t.tamper(`DELETE FROM audit_events WHERE event_id = '${held[0]}'`);
    const verification = await t.verify("rr-held");
    expect(verification.verified).toBe(false);
    expect(verification.problems).toMatchObject([{ event_id: held[0], problem: "missing" }]);
    expect(verification.deleted_by_retention).toEqual([]);
  });

  it("a deletion beside a retention record written without the key is missing", async () => {
    const [leaf] = await t.query<{ leaf_index: number }>(
      `SELECT leaf_index::int AS leaf_index FROM audit_log_leaves WHERE event_id = '${recent[0]}'`,
    );
    const index = Number(leaf?.leaf_index);
    const eventId = "0f0f0f0f-0000-4000-8000-000000000001";
    // Signed, but by a key of the same name that is not the log's.
    const impostor = parseSignerKey(generateSignerKey(t.signer.name).signerKey);
    const note = signRetentionStatement(
      {
        origin: t.signer.name,
        eventId,
        runId: "forged",
        cutoff: NOW.toISOString(),
        leaves: [[index, index + 1]],
      },
      impostor,
    );
    const payload = JSON.stringify({ run_id: "forged", from_leaf: index, to_leaf: index + 1, note });
    await t.database.transaction(async (tx) => {
      await tx.execute("SET LOCAL kubernaut.retention = 'on'");
      await tx.execute(`DELETE FROM audit_events WHERE event_id = '${recent[0]}'`);
      await tx.execute(`INSERT INTO audit_event_ids (event_id) VALUES ('${eventId}')`);
      await tx.execute(
        `INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
         VALUES ('${eventId}', '${RETENTION_CORRELATION_ID}', '${RETENTION_CORRELATION_ID}', 'retention.deleted', 'datastorage',
           now(), '${NOW.toISOString()}', '${payload}'::jsonb)`,
      );
    });
    await t.seal();
    const verification = await t.verify("rr-recent");
    expect(verification.verified).toBe(false);
    expect(verification.problems).toMatchObject([{ event_id: recent[0], problem: "missing" }]);
    expect(verification.deleted_by_retention).toEqual([]);
  });
});
