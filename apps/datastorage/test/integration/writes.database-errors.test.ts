import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BATCH, ORCHESTRATION, orchestration } from "../support/audit-records.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

/**
 * What the service answers when the database itself refuses a write, whatever the contract let through: a
 * constraint an operator added, a failure of the moment. The failures are the database's own (a CHECK
 * constraint, a trigger raising a SQLSTATE, a backend terminated by `pg_terminate_backend`), on this test's
 * database, through the whole app.
 */

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

let t: TestApp;

beforeEach(async () => {
  t = await openTestApp();
});
afterEach(async () => {
  await t.close();
});

const onServer = Boolean(process.env.TEST_DATABASE_URL);

let n = 0;
const phaseChange = (name: string, fingerprint = `fp-${name}`) => ({
  ...orchestration({ alert_fingerprint: fingerprint }),
  remediation_name: name,
  event_id: `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}`,
});

/** The record as a batch carries it. */
const inBatch = (...records: Record<string, unknown>[]) => ({
  records: records.map((record) => ({ kind: "remediation-orchestration", ...record })),
});

async function problem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return JSON.parse(text) as ProblemBody;
}

const storedIds = async () =>
  (await t.query<{ event_id: string }>("SELECT event_id::text FROM audit_events ORDER BY event_id")).map(
    (r) => r.event_id,
  );

const retries = async () =>
  Object.fromEntries((await t.metrics.dbRetries.get()).values.map((v) => [v.labels.code, v.value]));

/**
 * A stand-in for a failure of the moment: while the sequence `flaky_failures` counts no more than `n`, an event
 * whose fingerprint is `flaky-<n>-…` fails with a serialization failure (SQLSTATE 40001), as a concurrent
 * transaction would make it fail. A sequence is not rolled back, so each attempt counts once.
 */
async function addFlakyTrigger(): Promise<void> {
  await t.query("CREATE SEQUENCE flaky_failures");
  await t.query(`CREATE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.alert_fingerprint LIKE 'flaky-%'
        AND nextval('flaky_failures') <= split_part(NEW.alert_fingerprint, '-', 2)::int THEN
        RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = 'serialization_failure';
      END IF;
      RETURN NEW;
    END $$`);
  await t.query("CREATE TRIGGER flaky BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION flaky()");
}

describe("a value the database refuses", () => {
  it("is a 400 naming the SQLSTATE and the constraint, and nothing of that request is stored", async () => {
    await t.query(
      "ALTER TABLE remediation_audit ADD CONSTRAINT name_not_refused CHECK (remediation_name NOT LIKE 'refused-%')",
    );
    const refused = phaseChange("refused-1");
    const body = await problem(await t.post(ORCHESTRATION, refused), 400);
    expect(body).toMatchObject({
      type: "https://kubernaut.ai/problems/unstorable-value",
      title: "The database refused a value",
    });
    expect(body.detail).toContain("SQLSTATE 23514");
    expect(body.detail).toContain("constraint name_not_refused");

    const good = phaseChange("rr-good");
    const batch = await problem(await t.post(BATCH, inBatch(good, phaseChange("refused-2"))), 400);
    expect(batch.detail).toContain("SQLSTATE 23514");
    expect(await storedIds()).toEqual([]);
    expect((await t.post(BATCH, inBatch(good))).status).toBe(201);
    expect(await storedIds()).toEqual([good.event_id]);
    expect(await retries()).toEqual({});
  });

  it("leaves the requests it shares a statement with stored, each bad one answered 400", async () => {
    await t.query(
      "ALTER TABLE remediation_audit ADD CONSTRAINT name_not_refused CHECK (remediation_name NOT LIKE 'refused-%')",
    );
    // 8 clients refused among 40 good ones, all at once: on PGlite (one statement at a time) most of them share
    // statements; on PostgreSQL those that find every connection busy do.
    const requests = Array.from({ length: 48 }, (_, i) =>
      i % 6 === 5 ? phaseChange(`refused-${i}`) : phaseChange(`rr-${i}`),
    );
    const answers = await Promise.all(requests.map((record) => t.post(BATCH, inBatch(record))));
    const statuses = answers.map((res) => res.status);
    expect(statuses).toEqual(requests.map((r) => (r.remediation_name.startsWith("refused-") ? 400 : 201)));
    const good = requests.filter((r) => !r.remediation_name.startsWith("refused-"));
    expect(await storedIds()).toEqual(good.map((r) => r.event_id).sort());
    const [projected] = await t.query<{ n: number }>("SELECT count(*)::int AS n FROM remediation_audit");
    expect(projected?.n).toBe(40);
  });
});

describe("a failure of the moment", () => {
  it("is retried inside the service, and the write answers 201 once it passes", async () => {
    await addFlakyTrigger();
    const record = phaseChange("rr-flaky", "flaky-2-a");
    const res = await t.post(ORCHESTRATION, record);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ inserted: 1, duplicates: 0 });
    expect(await storedIds()).toEqual([record.event_id]);
    expect(await retries()).toEqual({ "40001": 2 });
  });

  it("still failing after the retries, is a 503 with Retry-After, and nothing is stored", async () => {
    await addFlakyTrigger();
    const body = await problem(await t.post(ORCHESTRATION, phaseChange("rr-down", "flaky-99-a")), 503);
    expect(body).toMatchObject({ type: "https://kubernaut.ai/problems/unavailable" });
    expect(body.detail).toMatch(/retry after the Retry-After delay/);
    const res = await t.post(BATCH, inBatch(phaseChange("rr-down-2", "flaky-99-b")));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await storedIds()).toEqual([]);
    // 4 attempts per request, each failing: 3 retries each.
    expect(await retries()).toEqual({ "40001": 6 });
    const metrics = await (await t.get("/metrics")).text();
    expect(metrics).toContain('datastorage_db_retries_total{code="40001"} 6');
  });

  it.skipIf(!onServer)(
    "a connection lost in the middle of a write (PostgreSQL) is retried on a new one, and the write answers 201",
    async () => {
      const record = phaseChange("rr-terminated");
      const res = await terminatedOnce("SHARE ROW EXCLUSIVE", "INSERT INTO audit_events", () =>
        t.post(ORCHESTRATION, record),
      );
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await storedIds()).toEqual([record.event_id]);
      expect(await retries()).toEqual({ "57P01": 1 });
    },
  );

  it.skipIf(!onServer)(
    "a connection lost in the middle of a read (PostgreSQL) is retried on a new one, and the read answers 200",
    async () => {
      const record = phaseChange("rr-read", "fp-read");
      expect((await t.post(ORCHESTRATION, record)).status).toBe(201);
      const res = await terminatedOnce("ACCESS EXCLUSIVE", "FROM audit_events", () =>
        t.get("/api/v1/audit/timeline/fp-read"),
      );
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { items: { event_id: string }[] }).items.map((e) => e.event_id)).toEqual([
        record.event_id,
      ]);
    },
  );
});

/**
 * Catches the request's statement mid-way and kills its connection once: another transaction holds a lock on
 * audit_events (in `lockMode`) that the statement (whose text contains `statement`) waits for; its backend is
 * terminated (SQLSTATE 57P01, as when a server restarts); once the service's retry waits on another connection,
 * the lock is released and the request's answer returned.
 */
async function terminatedOnce(
  lockMode: string,
  statement: string,
  request: () => Promise<Response>,
): Promise<Response> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked: () => void = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = t.database.transaction(async (tx) => {
    await tx.execute(sql.raw(`LOCK TABLE audit_events IN ${lockMode} MODE`));
    locked();
    await released;
  });
  await lockTaken;

  const answer = request();
  const waiting = async () =>
    (
      await t.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND query LIKE '%${statement}%' AND pid <> pg_backend_pid()`,
      )
    ).map((r) => r.pid);
  const first = await vi.waitFor(
    async () => {
      const pids = await waiting();
      expect(pids).toHaveLength(1);
      return pids[0] as number;
    },
    { timeout: 20_000, interval: 20 },
  );
  await t.query(`SELECT pg_terminate_backend(${first})`);
  await vi.waitFor(async () => expect((await waiting()).filter((pid) => pid !== first)).toHaveLength(1), {
    timeout: 20_000,
    interval: 20,
  });
  release();
  await holder;
  return answer;
}
