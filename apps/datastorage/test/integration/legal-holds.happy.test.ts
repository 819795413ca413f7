import type { LegalHold, LegalHoldList } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { ensureMonthPartitions } from "../../src/write/partitions.js";
import {
  AI_ANALYSIS,
  aiAnalysis,
  ORCHESTRATION,
  orchestration,
  PROCESSING,
  processing,
} from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";
import { retentionRuns } from "../support/retention-rows.js";

const HOLDS = "/api/v1/audit/legal-holds";
const DAY = 86_400_000;
const retention = { trigger: "cli" as const, dryRun: false, days: 90, batchSize: 100 };
let t: ReadTestApp;
/** The service's clock: real time, so that expiry (judged by the database's clock) agrees with it. */
let now: Date;

beforeAll(async () => {
  t = await openReadApp();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.reset();
  now = new Date();
});

/**
 * A completed remediation's three records, written `daysAgo` days ago: past 121 days (90 and a month), retention
 * always finds them in a month that has ended by its cutoff. An earlier test's retention may have dropped that
 * month's partitions, which the service checks for only once per month of receipt: they are made sure of first.
 */
async function remediation(name: string, fingerprint: string, daysAgo: number): Promise<void> {
  const at = new Date(now.getTime() - daysAgo * DAY);
  await ensureMonthPartitions(t.database.database, at, 0);
  t.setNow(at);
  const keys = { alert_fingerprint: fingerprint };
  await t.write(
    ORCHESTRATION,
    orchestration({ ...keys, remediation_name: name, overall_phase: "completed" }),
  );
  await t.write(PROCESSING, processing({ ...keys, remediation_id: name, status: "completed" }));
  await t.write(
    AI_ANALYSIS,
    aiAnalysis({
      ...keys,
      remediation_id: name,
      crd_name: `${name}-analysis`,
      trigger: "workflow_created",
      workflow_crd_name: "wf",
    }),
  );
  t.setNow(now);
}

async function place(body: Record<string, unknown>): Promise<LegalHold> {
  const res = await t.send("POST", HOLDS, {
    reason: "case 4711",
    requested_by: "legal@example.com",
    ...body,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as LegalHold;
}

async function release(id: string, releasedBy = "legal@example.com"): Promise<LegalHold> {
  const res = await t.send("DELETE", `${HOLDS}/${id}`, { released_by: releasedBy, reason: "case closed" });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as LegalHold;
}

async function live(table: string, key: string): Promise<string[]> {
  const rows = await t.rows<{ key: string }>(
    sql`SELECT ${sql.identifier(key)} AS key FROM ${sql.identifier(table)} ORDER BY 1`,
  );
  return rows.map((r) => r.key);
}

/**
 * The database's refusal of a statement run as the retention job (the one role `audit_events` lets delete, see
 * migration `audit-log-append-only`), or null when it ran: a hold binds retention too.
 */
async function refusal(statement: ReturnType<typeof sql>): Promise<string | null> {
  try {
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('kubernaut.retention', 'on', true)`);
      await tx.execute(statement);
    });
    return null;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? (err as Error).message;
  }
}

const NONE = { remediation_audit: 0, alert_processing_audit: 0, ai_analysis_audit: 0 };
const ONE_EACH = { remediation_audit: 1, alert_processing_audit: 1, ai_analysis_audit: 1 };

describe("legal hold by correlation id", () => {
  it("keeps the remediation's rows through retention and refuses a direct delete, until released", async () => {
    await remediation("rr-held", "fp-held", 140);
    await remediation("rr-free", "fp-free", 140);
    const hold = await place({ correlation_id: "rr-held" });
    expect(hold).toMatchObject({
      scope: { correlation_id: "rr-held" },
      reason: "case 4711",
      requested_by: "legal@example.com",
      expires_at: null,
      released_at: null,
      released_by: null,
      active: true,
    });
    expect(Date.parse(hold.created_at)).toBe(now.getTime());

    const kept = await runRetention(t.deps, retention);
    expect(kept).toMatchObject({ status: "completed", moved: ONE_EACH, held: ONE_EACH });
    expect(await live("remediation_audit", "remediation_name")).toEqual(["rr-held"]);
    expect(await live("alert_processing_audit", "remediation_id")).toEqual(["rr-held"]);
    expect(await live("ai_analysis_audit", "crd_name")).toEqual(["rr-held-analysis"]);
    expect(await live("remediation_audit_archive", "remediation_name")).toEqual(["rr-free"]);
    expect(await retentionRuns(t)).toMatchObject([{ status: "completed", moved: ONE_EACH, held: ONE_EACH }]);

    // Outside the service, with plain SQL: the database refuses, naming the hold.
    for (const statement of [
      sql`DELETE FROM remediation_audit WHERE remediation_name = 'rr-held'`,
      sql`DELETE FROM alert_processing_audit`,
      sql`DELETE FROM ai_analysis_audit`,
      sql`DELETE FROM audit_events WHERE correlation_id = 'rr-held'`,
      sql`TRUNCATE audit_events`,
    ]) {
      expect(await refusal(statement)).toMatch(new RegExp(`under legal hold ${hold.id}`));
    }
    expect(await live("remediation_audit", "remediation_name")).toEqual(["rr-held"]);
    // What no hold covers can still go.
    expect(await refusal(sql`DELETE FROM audit_events WHERE correlation_id = 'rr-free'`)).toBeNull();

    const released = await release(hold.id);
    expect(released).toMatchObject({
      id: hold.id,
      released_by: "legal@example.com",
      release_reason: "case closed",
      active: false,
    });
    expect(released.released_at).not.toBeNull();
    const moved = await runRetention(t.deps, retention);
    expect(moved).toMatchObject({ status: "completed", moved: ONE_EACH, held: NONE });
    expect(await live("remediation_audit", "remediation_name")).toEqual([]);
    expect(await refusal(sql`DELETE FROM audit_events WHERE correlation_id = 'rr-held'`)).toBeNull();
  });
});

describe("legal hold scopes", () => {
  it("by alert fingerprint: every record of the alert, whatever its remediation", async () => {
    await remediation("rr-a", "fp-held", 140);
    await remediation("rr-b", "fp-held", 135);
    await remediation("rr-c", "fp-other", 140);
    await place({ alert_fingerprint: "fp-held" });
    const outcome = await runRetention(t.deps, retention);
    expect(outcome.held).toEqual({ remediation_audit: 2, alert_processing_audit: 2, ai_analysis_audit: 2 });
    expect(await live("remediation_audit", "remediation_name")).toEqual(["rr-a", "rr-b"]);
    expect(await refusal(sql`DELETE FROM audit_events WHERE alert_fingerprint = 'fp-held'`)).toMatch(
      /under legal hold/,
    );
    expect(await refusal(sql`DELETE FROM audit_events WHERE alert_fingerprint = 'fp-other'`)).toBeNull();
  });

  it("by time range: the records of that span, both ends inclusive", async () => {
    await remediation("rr-in", "fp-1", 140);
    await remediation("rr-edge", "fp-2", 150);
    await remediation("rr-out", "fp-3", 160);
    await place({
      from: new Date(now.getTime() - 150 * DAY).toISOString(),
      to: new Date(now.getTime() - 140 * DAY).toISOString(),
    });
    const outcome = await runRetention(t.deps, retention);
    expect(outcome.held).toEqual({ remediation_audit: 2, alert_processing_audit: 2, ai_analysis_audit: 2 });
    expect(await live("remediation_audit", "remediation_name")).toEqual(["rr-edge", "rr-in"]);
    expect(await live("remediation_audit_archive", "remediation_name")).toEqual(["rr-out"]);
    expect(await refusal(sql`DELETE FROM audit_events WHERE correlation_id = 'rr-edge'`)).toMatch(
      /under legal hold/,
    );
    expect(await refusal(sql`DELETE FROM audit_events WHERE correlation_id = 'rr-out'`)).toBeNull();
  });

  it("an archived row under a hold stays in the archive", async () => {
    await remediation("rr-archived", "fp-late", 140);
    await runRetention(t.deps, retention);
    await place({ correlation_id: "rr-archived" });
    expect(await refusal(sql`DELETE FROM remediation_audit_archive`)).toMatch(/under legal hold/);
  });
});

describe("expiry", () => {
  it("a hold past its expires_at stops holding, without being released", async () => {
    await remediation("rr-expiring", "fp-expiring", 140);
    const hold = await place({
      correlation_id: "rr-expiring",
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await runRetention(t.deps, retention)).held).toEqual(ONE_EACH);
    await vi.waitFor(
      async () => {
        t.setNow(new Date());
        expect((await runRetention(t.deps, retention)).moved).toEqual(ONE_EACH);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(await live("remediation_audit", "remediation_name")).toEqual([]);
    const listed = (await t.getJson(HOLDS)) as LegalHoldList;
    expect(listed.items).toMatchObject([{ id: hold.id, active: false, released_at: null }]);
    expect(((await t.getJson(`${HOLDS}?active=true`)) as LegalHoldList).items).toEqual([]);
    expect(((await t.getJson(`${HOLDS}?active=false`)) as LegalHoldList).items).toMatchObject([
      { id: hold.id },
    ]);
  });
});

describe("the trail of holds", () => {
  it("lists holds newest first, filtered by active", async () => {
    const first = await place({ correlation_id: "rr-1" });
    t.setNow(new Date(now.getTime() + 1000));
    const second = await place({ alert_fingerprint: "fp-2" });
    await release(first.id);
    const all = (await t.getJson(HOLDS)) as LegalHoldList;
    expect(all.items.map((h) => [h.id, h.active])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    expect(((await t.getJson(`${HOLDS}?active=true`)) as LegalHoldList).items.map((h) => h.id)).toEqual([
      second.id,
    ]);
    expect(((await t.getJson(`${HOLDS}?active=false`)) as LegalHoldList).items.map((h) => h.id)).toEqual([
      first.id,
    ]);
  });

  it("placing and releasing are audit events in the alert's timeline: who, what and why", async () => {
    await remediation("rr-trail", "fp-trail", 1);
    const hold = await place({ correlation_id: "rr-trail", requested_by: "alice" });
    t.setNow(new Date(now.getTime() + 1000));
    await release(hold.id, "bob");
    const timeline = (await t.getJson("/api/v1/audit/timeline/fp-trail")) as {
      items: {
        event_type: string;
        source: string;
        correlation_id: string;
        payload: Record<string, unknown>;
      }[];
    };
    const holdEvents = timeline.items.filter((e) => e.source === "datastorage");
    expect(holdEvents).toEqual([
      {
        ...holdEvents[0],
        event_type: "legal-hold.placed",
        correlation_id: "rr-trail",
        payload: {
          hold_id: hold.id,
          scope: { correlation_id: "rr-trail" },
          reason: "case 4711",
          requested_by: "alice",
          expires_at: null,
          principal: null,
        },
      },
      {
        ...holdEvents[1],
        event_type: "legal-hold.released",
        correlation_id: "rr-trail",
        payload: {
          hold_id: hold.id,
          scope: { correlation_id: "rr-trail" },
          released_by: "bob",
          reason: "case closed",
          principal: null,
        },
      },
    ]);
    expect(timeline.items.at(-1)?.event_type).toBe("legal-hold.released");
  });

  it("a fingerprint hold's events are filed under the fingerprint", async () => {
    const hold = await place({ alert_fingerprint: "fp-only" });
    const timeline = (await t.getJson("/api/v1/audit/timeline/fp-only")) as {
      items: { event_type: string; correlation_id: string; payload: { hold_id: string } }[];
    };
    expect(timeline.items).toMatchObject([
      { event_type: "legal-hold.placed", correlation_id: "fp-only", payload: { hold_id: hold.id } },
    ]);
  });
});
