import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "@kubernaut/testing/wait";
import { RETENTION_CORRELATION_ID } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";

/**
 * The month drop of `audit_events` retention is one transaction: killed with SIGKILL after it copied the held
 * records aside and before its DROP commits, it leaves the month whole, no copy, no retention event; the next run
 * drops the month.
 */
const MAY = new Date("2026-05-15T00:00:00Z");
let now = MAY;
let t: AuditLogApp;
let may: string[];
let held: string[];

const count = async (where: string) =>
  (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE ${where}`))[0]?.n;
beforeAll(async () => {
  t = await openAuditLogApp({ clock: () => now });
  may = await t.writeIncident("rr-may", 5);
  held = await t.writeIncident("rr-held", 2);
  now = new Date();
  await t.seal();
  const hold = await t.post("/api/v1/audit/legal-holds", {
    correlation_id: "rr-held",
    reason: "litigation 2026-31",
    requested_by: "compliance@example.com",
  });
  expect(hold.status, await hold.clone().text()).toBe(201);
});
afterAll(async () => {
  await t.close();
});

// PGlite lives in this process and cannot be opened by a second one: this needs a PostgreSQL server.
describe.skipIf(!process.env.TEST_DATABASE_URL)("the retention command killed inside a month drop", () => {
  it("leaves a month that is being read to the next run once RETENTION_LOCK_TIMEOUT passes, and completes", async () => {
    const outcome = await t.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT count(*) FROM audit_events_2026_05`);
      return runRetention(t.deps, {
        trigger: "cli",
        dryRun: false,
        days: 90,
        batchSize: 100,
        eventDays: 90,
        lockTimeoutMs: 200,
      });
    });
    expect(outcome).toMatchObject({ status: "completed", moved: { audit_events: 0 } });
    expect(await t.tableExists("audit_events_2026_05")).toBe(true);
    expect(await count("retained")).toBe(0);
    expect(await count(`correlation_id = '${RETENTION_CORRELATION_ID}'`)).toBe(0);
  });

  it("leaves the month whole, copies nothing, files no event; the next run drops it", async () => {
    const url = t.url;
    if (url === undefined) throw new Error("the PostgreSQL test database has no URL");
    let child: ChildProcess | undefined;
    // Reading the month holds a lock its DROP must wait for: the command copies the held records, then waits.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT count(*) FROM audit_events_2026_05`);
      child = spawn(process.execPath, ["--import", "tsx", cli()], {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        env: {
          ...process.env,
          DATABASE_URL: url,
          RETENTION_DAYS: "90",
          RETENTION_AUDIT_EVENTS_DAYS: "90",
          RETENTION_LOCK_TIMEOUT: "120s",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      await waitFor(
        "the command's DROP waiting for the lock",
        async () =>
          (
            await t.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE query LIKE 'DROP TABLE%audit_events_2026_05%' AND wait_event_type = 'Lock'`,
            )
          )[0]?.n === 1,
        60_000,
      );
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    });
    // Its server session ends once it finds the client gone; its transaction rolls back.
    await waitFor(
      "the killed command's session to end",
      async () =>
        (
          await t.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'DROP TABLE%audit_events_2026_05%'`,
          )
        )[0]?.n === 0,
      60_000,
    );

    expect(await t.tableExists("audit_events_2026_05")).toBe(true);
    expect(await count(`event_id IN (${[...may, ...held].map((id) => `'${id}'`).join(",")})`)).toBe(7);
    expect(await count("retained")).toBe(0);
    expect(await count(`correlation_id = '${RETENTION_CORRELATION_ID}'`)).toBe(0);

    const rerun = await runRetention(t.deps, {
      trigger: "cli",
      dryRun: false,
      days: 90,
      batchSize: 100,
      eventDays: 90,
    });
    expect(rerun).toMatchObject({ status: "completed", moved: { audit_events: 5 } });
    expect(await t.tableExists("audit_events_2026_05")).toBe(false);
    expect(await count(`event_id IN (${held.map((id) => `'${id}'`).join(",")}) AND retained`)).toBe(2);
    await t.seal();
    expect(await t.verify("rr-may")).toMatchObject({ verified: true, problems: [] });
    expect(await t.verify("rr-held")).toMatchObject({ verified: true, problems: [] });
  }, 180_000);
});

function cli(): string {
  return fileURLToPath(new URL("../../src/retention-cli.ts", import.meta.url));
}
