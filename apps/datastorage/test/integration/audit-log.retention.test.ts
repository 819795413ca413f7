import type { AuditVerification } from "@kubernaut/schema";
import { type ExportRecordLine, RETENTION_CORRELATION_ID, RETENTION_DELETED_EVENT } from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";

/**
 * Retention of `audit_events` (RETENTION_AUDIT_EVENTS_DAYS) deletes old sealed records and keeps the log: their
 * leaves stay, a sealed `retention.deleted` event names each range, and verification tells "deleted by retention"
 * from "missing".
 */
const NOW = new Date("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
let now = NOW;
let t: AuditLogApp;
let old: string[];
let held: string[];
let recent: string[];

const retention = (eventDays: number | undefined) =>
  runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 2, eventDays });

const stored = async (ids: string[]) =>
  (
    await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE event_id IN (${ids.map((id) => `'${id}'`).join(",")})`,
    )
  )[0]?.n;

beforeAll(async () => {
  t = await openAuditLogApp({ clock: () => now });
  now = new Date(NOW.getTime() - 200 * DAY);
  old = await t.writeIncident("rr-old", 3);
  held = await t.writeIncident("rr-held", 2);
  now = new Date(NOW.getTime() - 10 * DAY);
  recent = await t.writeIncident("rr-recent", 2);
  now = NOW;
  await t.seal();
  const hold = await t.post("/api/v1/audit/legal-holds", {
    correlation_id: "rr-held",
    reason: "litigation 2026-17",
    requested_by: "compliance@example.com",
  });
  expect(hold.status, await hold.text()).toBe(201);
});
afterAll(async () => {
  await t.close();
});

describe("retention of audit_events", () => {
  it("is off by default: every record stays", async () => {
    const outcome = await retention(undefined);
    expect(outcome.moved.audit_events).toBeUndefined();
    expect(await stored([...old, ...held, ...recent])).toBe(7);
  });

  it("deletes old sealed records but not held ones, keeps their leaves, and files a sealed retention event per batch", async () => {
    const outcome = await retention(90);
    expect(outcome).toMatchObject({ status: "completed", moved: { audit_events: 3 } });
    expect(await stored(old)).toBe(0);
    expect(await stored([...held, ...recent])).toBe(4);
    const leaves = await t.leaves(`correlation_id=rr-old`);
    expect(leaves.items.map((leaf) => leaf.record)).toEqual([null, null, null]);

    const events = await t.query<{ payload: { from_leaf: number; to_leaf: number; deleted: number } }>(
      `SELECT payload FROM audit_events WHERE correlation_id = '${RETENTION_CORRELATION_ID}' ORDER BY seq`,
    );
    // Leaves 0-4 are rr-old and rr-held (received 200 days ago); rr-recent's leaves stop the range.
    expect(events.map((e) => [e.payload.from_leaf, e.payload.to_leaf])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(events.reduce((sum, e) => sum + e.payload.deleted, 0)).toBe(3);

    // Until the retention events are sealed, nothing vouches for the deletions.
    const unsealed = await t.verify("rr-old");
    expect(unsealed.verified).toBe(false);
    expect(unsealed.problems.map((p) => p.problem)).toEqual(["missing", "missing", "missing"]);

    await t.seal();
    const verification: AuditVerification = await t.verify("rr-old");
    expect(verification).toMatchObject({ verified: true, problems: [] });
    expect(verification.deleted_by_retention.map((d) => d.event_id).sort()).toEqual([...old].sort());
    expect(verification.deleted_by_retention[0]?.detail).toMatch(
      /^deleted by retention run .* its leaf stays/,
    );
    expect(await t.verify("rr-held")).toMatchObject({
      verified: true,
      problems: [],
      deleted_by_retention: [],
    });
    expect(await t.verify("rr-recent")).toMatchObject({ verified: true, problems: [] });

    // An export of the incident carries the retention events that explain its gone records (leaves 8 and 9, after
    // the seven records and the hold's own event), and not the third, which names only a held record's leaf.
    const exported = (await (await t.get("/api/v1/audit/export?correlation_id=rr-old")).text())
      .trim()
      .split("\n");
    const lines = exported.slice(0, -1).map((line) => JSON.parse(line) as ExportRecordLine);
    expect(lines.map((line) => [line.leaf_index, line.record?.event_type ?? null])).toEqual([
      [0, null],
      [1, null],
      [2, null],
      [8, RETENTION_DELETED_EVENT],
      [9, RETENTION_DELETED_EVENT],
    ]);
  });

  it("goes on from where the last run stopped, and never deletes a record not yet under a checkpoint", async () => {
    now = new Date(NOW.getTime() - 300 * DAY);
    const unsealed = await t.writeIncident("rr-unsealed", 2);
    now = NOW;
    const outcome = await retention(90);
    expect(outcome.moved.audit_events).toBe(0);
    expect(await stored(unsealed)).toBe(2);
  });

  it("does not excuse a record deleted by anyone else", async () => {
    await t.tamper(`DELETE FROM audit_events WHERE event_id = '${recent[0]}'`);
    const verification = await t.verify("rr-recent");
    expect(verification.verified).toBe(false);
    expect(verification.problems).toMatchObject([{ event_id: recent[0], problem: "missing" }]);
  });

  it("a delete outside the retention job is still refused by the database", async () => {
    const refused = await t.query(`DELETE FROM audit_events WHERE event_id = '${recent[1]}'`).catch((e) => e);
    expect(String((refused as Error).cause ?? refused)).toMatch(
      /audit_events is append-only: DELETE is refused/,
    );
    expect(await stored([recent[1] as string])).toBe(1);
  });
});
