import type { AuditVerification } from "@kubernaut/schema";
import { type ExportRecordLine, RETENTION_CORRELATION_ID, RETENTION_DELETED_EVENT } from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";
import { orchestration } from "../support/audit-records.js";

/**
 * Retention of `audit_events` (RETENTION_AUDIT_EVENTS_DAYS) drops whole months of old sealed records and keeps the
 * log: their leaves stay, a sealed `retention.deleted` event names each month and its leaf range, held records are
 * copied to `audit_events_held` first, and verification tells "deleted by retention" from "missing".
 */
const NOW = new Date("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
let now = NOW;
let t: AuditLogApp;
let old: string[];
let held: string[];
let recent: string[];
let holdId: string;

const retention = (eventDays: number | undefined) =>
  runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 2, eventDays });

const stored = async (ids: string[]) =>
  (
    await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE event_id IN (${ids.map((id) => `'${id}'`).join(",")})`,
    )
  )[0]?.n;

/** The tables the records are in, by event id. */
const homes = async (ids: string[]) =>
  (
    await t.query<{ home: string }>(
      `SELECT DISTINCT tableoid::regclass::text AS home FROM audit_events
       WHERE event_id IN (${ids.map((id) => `'${id}'`).join(",")})`,
    )
  ).map((row) => row.home);

const retentionEvents = () =>
  t.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM audit_events WHERE correlation_id = '${RETENTION_CORRELATION_ID}' ORDER BY seq`,
  );

beforeAll(async () => {
  t = await openAuditLogApp({ clock: () => now });
  now = new Date(NOW.getTime() - 200 * DAY); // 2026-05-15
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
  expect(hold.status, await hold.clone().text()).toBe(201);
  holdId = ((await hold.json()) as { id: string }).id;
});
afterAll(async () => {
  await t.close();
});

describe("retention of audit_events", () => {
  it("is off by default: every record stays", async () => {
    const outcome = await retention(undefined);
    expect(outcome.moved.audit_events).toBeUndefined();
    expect(await stored([...old, ...held, ...recent])).toBe(7);
    expect(await homes([...old, ...held])).toEqual(["audit_events_2026_05"]);
  });

  it("a dry run counts what would go and what a hold keeps, and changes nothing", async () => {
    const dry = await runRetention(t.deps, {
      trigger: "cli",
      dryRun: true,
      days: 90,
      batchSize: 2,
      eventDays: 90,
    });
    expect(dry).toMatchObject({ status: "completed", moved: { audit_events: 3 }, held: { audit_events: 2 } });
    expect(await stored([...old, ...held, ...recent])).toBe(7);
    expect(await t.tableExists("audit_events_2026_05")).toBe(true);
    expect(await retentionEvents()).toEqual([]);
  });

  it("drops each expired month in one step, held records copied aside first; leaves stay; one sealed event per month", async () => {
    const outcome = await retention(90);
    expect(outcome).toMatchObject({
      status: "completed",
      moved: { audit_events: 3 },
      held: { audit_events: 2 },
    });
    // The cutoff is 2026-09-02: May to August have ended before it; September has not.
    for (const month of ["05", "06", "07", "08"])
      expect(await t.tableExists(`audit_events_2026_${month}`)).toBe(false);
    expect(await t.tableExists("audit_events_2026_09")).toBe(false); // never created: no write that month
    expect(await t.tableExists("audit_events_2026_11")).toBe(true);
    expect(await stored(old)).toBe(0);
    expect(await stored([...held, ...recent])).toBe(4);
    expect(await homes(held)).toEqual(["audit_events_held"]);
    expect(await homes(recent)).toEqual(["audit_events_2026_11"]);
    const leaves = await t.leaves(`correlation_id=rr-old`);
    expect(leaves.items.map((leaf) => leaf.record)).toEqual([null, null, null]);

    // Leaves 0-4 are May's rr-old and rr-held; the empty months files no event.
    expect((await retentionEvents()).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        partition: "audit_events_2026_05",
        from_leaf: 0,
        to_leaf: 5,
        deleted: 3,
        kept: 2,
      }),
    ]);

    // Until the retention event is sealed, nothing vouches for the deletions.
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
    // The held copies are the very records their leaves were sealed from.
    expect(await t.verify("rr-held")).toMatchObject({
      verified: true,
      problems: [],
      deleted_by_retention: [],
    });
    expect(await t.verify("rr-recent")).toMatchObject({ verified: true, problems: [] });

    // An export of the incident carries the retention event that explains its gone records (leaf 8, after the
    // seven records and the hold's own event).
    const exported = (await (await t.get("/api/v1/audit/export?correlation_id=rr-old")).text())
      .trim()
      .split("\n");
    const lines = exported.slice(0, -1).map((line) => JSON.parse(line) as ExportRecordLine);
    expect(lines.map((line) => [line.leaf_index, line.record?.event_type ?? null])).toEqual([
      [0, null],
      [1, null],
      [2, null],
      [8, RETENTION_DELETED_EVENT],
    ]);
  });

  it("a record sent again after its month was dropped is still a duplicate", async () => {
    const again = await t.post("/api/v1/audit/batch", {
      records: [
        {
          kind: "remediation-orchestration",
          ...orchestration({ remediation_name: "rr-old", alert_fingerprint: "fp-rr-old", event_id: old[0] }),
        },
      ],
    });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(await stored(old)).toBe(0);
  });

  it("waits for a month whose records are not all under a checkpoint, and drops it once they are", async () => {
    now = new Date(NOW.getTime() - 300 * DAY); // 2026-02-04
    const unsealed = await t.writeIncident("rr-unsealed", 2);
    now = NOW;
    const waiting = await retention(90);
    expect(waiting.moved.audit_events).toBe(0);
    expect(await stored(unsealed)).toBe(2);
    expect(await t.tableExists("audit_events_2026_02")).toBe(true);

    await t.seal();
    const outcome = await retention(90);
    expect(outcome.moved.audit_events).toBe(2);
    expect(await t.tableExists("audit_events_2026_02")).toBe(false);
    expect(await stored(unsealed)).toBe(0);
  });

  it("once the hold is released, deletes the held records from audit_events_held, each batch with its event", async () => {
    const released = await t.app.request(`/api/v1/audit/legal-holds/${holdId}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ released_by: "compliance@example.com", reason: "case closed" }),
    });
    expect(released.status, await released.clone().text()).toBe(200);
    const before = (await retentionEvents()).length;
    const outcome = await retention(90);
    expect(outcome.moved.audit_events).toBe(2);
    expect(await stored(held)).toBe(0);
    expect((await retentionEvents()).slice(before).map((e) => e.payload)).toEqual([
      expect.objectContaining({ partition: "audit_events_held", from_leaf: 3, to_leaf: 5, deleted: 2 }),
    ]);
    await t.seal();
    const verification = await t.verify("rr-held");
    expect(verification).toMatchObject({ verified: true, problems: [] });
    expect(verification.deleted_by_retention.map((d) => d.event_id).sort()).toEqual([...held].sort());
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

  it("keeps the record of placing a range hold, though the range covers none of it", async () => {
    now = new Date(NOW.getTime() - 150 * DAY);
    const placed = await t.post("/api/v1/audit/legal-holds", {
      from: "2020-01-01T00:00:00Z",
      to: "2020-02-01T00:00:00Z",
      reason: "an old case",
      requested_by: "compliance@example.com",
    });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    now = NOW;
    await t.seal();
    await retention(90);
    expect(await t.tableExists("audit_events_2026_07")).toBe(false);
    expect(
      await t.query<{ event_type: string }>(
        `SELECT event_type FROM audit_events WHERE correlation_id = 'legal-hold:${id}'`,
      ),
    ).toEqual([{ event_type: "legal-hold.placed" }]);
  });
});
