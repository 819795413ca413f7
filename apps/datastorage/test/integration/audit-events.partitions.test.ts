import { randomUUID } from "node:crypto";
import { monthPartitionName } from "@kubernaut/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATCH, orchestration } from "../support/audit-records.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

/**
 * `audit_events` is partitioned by month of receipt (UTC): the service keeps the month of each write and the next
 * three created, a write lands in its month's partition, and there is no default partition.
 */
let now: Date;
let t: TestApp;

beforeAll(async () => {
  now = new Date("2031-12-31T23:59:59.999Z");
  t = await openTestApp({ clock: () => now });
});
afterAll(async () => {
  await t.close();
});

const partitions = async (table = "audit_events") =>
  (
    await t.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '${table}'::regclass ORDER BY 1`,
    )
  ).map((row) => row.name);

async function write(remediation: string): Promise<string> {
  const record = { kind: "remediation-orchestration", ...orchestration({ remediation_name: remediation }) };
  const res = await t.post(BATCH, { records: [record] });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { event_ids: string[] }).event_ids[0] as string;
}

const home = async (eventId: string) =>
  (
    await t.query<{ home: string }>(
      `SELECT tableoid::regclass::text AS home FROM audit_events WHERE event_id = '${eventId}'`,
    )
  ).map((row) => row.home);

describe("audit_events partitions", () => {
  it("rolls over a month boundary: each write lands in its month, and the three months after it are created", async () => {
    expect(await partitions()).not.toContain("audit_events_2031_12");

    const december = await write("rr-december");
    expect(await home(december)).toEqual(["audit_events_2031_12"]);
    expect(await partitions()).toEqual(
      expect.arrayContaining([
        "audit_events_2031_12",
        "audit_events_2032_01",
        "audit_events_2032_02",
        "audit_events_2032_03",
      ]),
    );
    expect(await partitions()).not.toContain("audit_events_2032_04");

    now = new Date("2032-01-01T00:00:00.000Z");
    const january = await write("rr-january");
    expect(await home(january)).toEqual(["audit_events_2032_01"]);
    expect(await partitions()).toContain("audit_events_2032_04");

    // The projections' months go with them; a row stays in the month it was created in.
    for (const table of ["remediation_audit", "alert_processing_audit", "ai_analysis_audit"])
      expect(await partitions(table)).toEqual(
        expect.arrayContaining([`${table}_held`, `${table}_2031_12`, `${table}_2032_04`]),
      );
    await write("rr-december");
    expect(
      await t.query(
        `SELECT remediation_name, tableoid::regclass::text AS home FROM remediation_audit ORDER BY remediation_name`,
      ),
    ).toEqual([
      { remediation_name: "rr-december", home: "remediation_audit_2031_12" },
      { remediation_name: "rr-january", home: "remediation_audit_2032_01" },
    ]);
  });

  it("names each partition by its month in UTC", () => {
    expect(monthPartitionName("audit_events", new Date("2031-12-31T23:59:59.999Z"))).toBe(
      "audit_events_2031_12",
    );
    expect(monthPartitionName("audit_events", new Date("2032-01-01T00:00:00.000-01:00"))).toBe(
      "audit_events_2032_01",
    );
  });

  it("has no default partition: a row for a month without one is refused, and the service answers 503 naming it", async () => {
    const refused = await t
      .query(
        `INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
         VALUES (gen_random_uuid(), 'rr-x', 'fp-x', 'x', 'orchestrator', now(), '1999-01-15T00:00:00Z', '{}')`,
      )
      .catch((err: unknown) => err);
    expect(String((refused as Error).cause ?? refused)).toMatch(/no partition of relation "audit_events"/);

    // A month's partition dropped by hand: writes are refused, not stored elsewhere, until the service creates it.
    await t.query("DROP TABLE audit_events_2032_01");
    const res = await t.post(BATCH, {
      records: [{ kind: "remediation-orchestration", ...orchestration({ remediation_name: "rr-nowhere" }) }],
    });
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/audit_events has no partition for this month/);
    expect(await t.query("SELECT 1 FROM remediation_audit WHERE remediation_name = 'rr-nowhere'")).toEqual(
      [],
    );

    // The next month's first write creates its partition again.
    now = new Date("2032-02-10T00:00:00.000Z");
    expect(await home(await write("rr-february"))).toEqual(["audit_events_2032_02"]);
  });

  it("keeps one copy of an event id across months: a retry in a later month is a duplicate", async () => {
    now = new Date("2032-03-31T23:59:00.000Z");
    const eventId = randomUUID();
    const record = {
      kind: "remediation-orchestration",
      ...orchestration({ remediation_name: "rr-retried", event_id: eventId }),
    };
    const first = await t.post(BATCH, { records: [record] });
    expect(await first.json()).toMatchObject({ inserted: 1, duplicates: 0 });
    now = new Date("2032-04-01T00:01:00.000Z");
    const again = await t.post(BATCH, { records: [record] });
    expect(await again.json()).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(await home(eventId)).toEqual(["audit_events_2032_03"]);
  });
});
