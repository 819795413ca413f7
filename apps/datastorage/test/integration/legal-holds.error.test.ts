import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORCHESTRATION, orchestration, PROCESSING, processing } from "../support/audit-records.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

const HOLDS = "/api/v1/audit/legal-holds";
const base = { reason: "case 4711", requested_by: "legal@example.com" };
let t: TestApp;

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

interface ProblemBody {
  type: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

async function problem(res: Response, status: number): Promise<ProblemBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as ProblemBody;
}

const release = (id: string, body: unknown) =>
  t.app.request(`${HOLDS}/${id}`, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function storedHolds(): Promise<number> {
  const [row] = await t.query<{ n: number }>("SELECT count(*)::int AS n FROM legal_holds");
  return row?.n ?? -1;
}

describe("POST /api/v1/audit/legal-holds refuses a bad hold, naming the problem, and stores nothing", () => {
  const cases: Array<[string, Record<string, unknown>, { path: string; message: RegExp }[]]> = [
    [
      "no scope",
      { ...base },
      [{ path: "(body)", message: /needs one scope: correlation_id, alert_fingerprint/ }],
    ],
    [
      "two scopes",
      { ...base, correlation_id: "rr-1", alert_fingerprint: "fp-1" },
      [{ path: "(body)", message: /exactly one scope .*got correlation_id and alert_fingerprint/ }],
    ],
    [
      "a correlation id and a range",
      { ...base, correlation_id: "rr-1", from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" },
      [{ path: "(body)", message: /got correlation_id and from\/to/ }],
    ],
    [
      "no reason",
      { requested_by: "legal@example.com", correlation_id: "rr-1" },
      [{ path: "reason", message: /expected a string/ }],
    ],
    [
      "an empty reason",
      { ...base, reason: "  ", correlation_id: "rr-1" },
      [{ path: "reason", message: /must not be empty/ }],
    ],
    [
      "no requested_by",
      { reason: "case", correlation_id: "rr-1" },
      [{ path: "requested_by", message: /expected a string/ }],
    ],
    [
      "to before from",
      { ...base, from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" },
      [{ path: "to", message: /must not be before from/ }],
    ],
    [
      "from without to",
      { ...base, from: "2026-11-02T00:00:00Z" },
      [{ path: "to", message: /needs to as well as from/ }],
    ],
    [
      "a time that is not RFC 3339",
      { ...base, from: "yesterday", to: "2026-11-01T00:00:00Z" },
      [{ path: "from", message: /RFC 3339/ }],
    ],
    [
      "an expiry in the past",
      { ...base, correlation_id: "rr-1", expires_at: "2020-01-01T00:00:00Z" },
      [{ path: "expires_at", message: /must be in the future/ }],
    ],
    [
      "an unknown field",
      { ...base, correlation_id: "rr-1", scope: "all" },
      [{ path: "scope", message: /unknown field/ }],
    ],
    [
      "an over-long fingerprint",
      { ...base, alert_fingerprint: "f".repeat(65) },
      [{ path: "alert_fingerprint", message: /at most 64 characters/ }],
    ],
  ];
  for (const [name, body, expected] of cases) {
    it(name, async () => {
      const body400 = await problem(await t.post(HOLDS, body), 400);
      expect(body400.type).toBe("https://kubernaut.ai/problems/validation");
      expect(body400.errors).toEqual(
        expected.map((e) => ({ path: e.path, message: expect.stringMatching(e.message) })),
      );
      expect(await storedHolds()).toBe(0);
    });
  }

  it("a body that is not JSON", async () => {
    await problem(await t.post(HOLDS, "{not json"), 400);
    await problem(await t.post(HOLDS, base, { "content-type": "text/plain" }), 415);
    expect(await storedHolds()).toBe(0);
  });
});

describe("DELETE /api/v1/audit/legal-holds/{id}", () => {
  it("404 for an unknown hold, 400 for a malformed id or a missing released_by, 409 when released twice", async () => {
    const unknown = "0b7c2a56-41f4-4a8e-9a57-6c2f0e1d9b3a";
    expect((await problem(await release(unknown, { released_by: "x" }), 404)).detail).toBe(
      `no legal hold with id ${unknown}`,
    );
    expect((await problem(await release("not-a-uuid", { released_by: "x" }), 400)).errors).toEqual([
      { path: "param.id", message: "expected a legal hold id (a UUID)" },
    ]);
    const created = await t.post(HOLDS, { ...base, correlation_id: "rr-1" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await problem(await release(id, {}), 400)).errors).toEqual([
      { path: "released_by", message: "expected a string" },
    ]);
    const noBody = await t.app.request(`${HOLDS}/${id}`, { method: "DELETE" });
    await problem(noBody, 415);
    expect((await release(id, { released_by: "first" })).status).toBe(200);
    expect((await problem(await release(id, { released_by: "second" }), 409)).detail).toMatch(
      new RegExp(`legal hold ${id} was released already, at .* by first`),
    );
    const events = await t.query<{ event_type: string }>(
      "SELECT event_type FROM audit_events WHERE source = 'datastorage' ORDER BY occurred_at, received_at",
    );
    expect(events.map((e) => e.event_type)).toEqual(["legal-hold.placed", "legal-hold.released"]);
  });

  it("GET ?active= takes true or false only", async () => {
    expect((await problem(await t.get(`${HOLDS}?active=maybe`), 400)).errors).toEqual([
      { path: "query.active", message: "expected true or false" },
    ]);
  });
});

describe("the database keeps every hold: its row is only ever released, once", () => {
  /** The database's error for a statement, or null when it ran. */
  const refusal = (statement: string): Promise<string | null> =>
    t.query(statement).then(
      () => null,
      (err: Error & { cause?: Error }) => err.cause?.message ?? err.message,
    );

  it("refuses DELETE, TRUNCATE and any UPDATE but the release, and keeps the hold as it was", async () => {
    const created = await t.post(HOLDS, { ...base, alert_fingerprint: "fp-kept" });
    const { id } = (await created.json()) as { id: string };
    const where = `WHERE id = '${id}'`;
    expect(await refusal(`DELETE FROM legal_holds ${where}`)).toMatch(
      /legal_holds is append-only: DELETE is refused/,
    );
    expect(await refusal("TRUNCATE legal_holds")).toMatch(/legal_holds is append-only: TRUNCATE is refused/);
    for (const change of [
      "expires_at = now()",
      "alert_fingerprint = 'fp-other'",
      "released_at = now(), released_by = 'sql', alert_fingerprint = 'fp-other'",
    ]) {
      expect(await refusal(`UPDATE legal_holds SET ${change} ${where}`), change).toMatch(/UPDATE is refused/);
    }
    const [kept] = await t.query<{ alert_fingerprint: string; expires_at: unknown; released_at: unknown }>(
      `SELECT alert_fingerprint, expires_at, released_at FROM legal_holds ${where}`,
    );
    expect(kept).toEqual({ alert_fingerprint: "fp-kept", expires_at: null, released_at: null });

    expect((await release(id, { released_by: "legal" })).status).toBe(200);
    expect(await refusal(`UPDATE legal_holds SET released_at = NULL, released_by = NULL ${where}`)).toMatch(
      /UPDATE is refused/,
    );
    expect(await refusal(`UPDATE legal_holds SET released_by = 'someone else' ${where}`)).toMatch(
      /UPDATE is refused/,
    );
  });
});

describe("the database refuses an UPDATE that would take a held row out of its hold", () => {
  /** The database's error for a statement, or null when it ran. */
  const refusal = (statement: string): Promise<string | null> =>
    t.query(statement).then(
      () => null,
      (err: Error & { cause?: Error }) => err.cause?.message ?? err.message,
    );
  const place = async (scope: Record<string, unknown>): Promise<string> => {
    const res = await t.post(HOLDS, { ...base, ...scope });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const write = async (path: string, body: Record<string, unknown>) => {
    const res = await t.post(path, body);
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const remediation = async (name: string) => {
    const rows = await t.query<Record<string, unknown>>(
      `SELECT remediation_name, alert_fingerprint, overall_phase, created_at::text AS created_at,
         updated_at::text AS updated_at FROM remediation_audit WHERE remediation_name = '${name}'`,
    );
    expect(rows).toHaveLength(1);
    return rows[0] as Record<string, unknown>;
  };
  const leaving =
    /a row of remediation_audit is under legal hold [0-9a-f-]+: an update cannot take it out of the hold/;

  it("keeps a row held by correlation id in its hold, still takes later records, and allows it once released", async () => {
    const id = await place({ correlation_id: "rr-upd-held" });
    const row = orchestration({ alert_fingerprint: "fp-upd-held", remediation_name: "rr-upd-held" });
    await write(ORCHESTRATION, row);
    const before = await remediation("rr-upd-held");
    const where = "WHERE remediation_name = 'rr-upd-held'";

    expect(await refusal(`UPDATE remediation_audit SET remediation_name = 'zz' ${where}`)).toMatch(leaving);
    expect(await remediation("rr-upd-held")).toEqual(before);
    expect(await refusal(`DELETE FROM remediation_audit ${where}`)).toMatch(/cannot be deleted/);

    // The write path's upsert of a later record (updated_at forward, key unchanged) goes through.
    await write(ORCHESTRATION, { ...row, overall_phase: "completed", occurred_at: new Date().toISOString() });
    const later = await remediation("rr-upd-held");
    expect(later).toMatchObject({ overall_phase: "completed", created_at: before.created_at });
    // An UPDATE that leaves the row in its hold is allowed.
    expect(await refusal(`UPDATE remediation_audit SET overall_phase = 'failed' ${where}`)).toBeNull();

    expect((await release(id, { released_by: "legal" })).status).toBe(200);
    expect(
      await refusal(`UPDATE remediation_audit SET remediation_name = 'rr-upd-free' ${where}`),
    ).toBeNull();
    expect(await refusal("DELETE FROM remediation_audit WHERE remediation_name = 'rr-upd-free'")).toBeNull();
  });

  it("keeps a row held by time range in it: created_at and updated_at cannot move out of the range", async () => {
    const row = orchestration({ alert_fingerprint: "fp-upd-range", remediation_name: "rr-upd-range" });
    await write(ORCHESTRATION, row);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await write(ORCHESTRATION, { ...row, overall_phase: "executing", occurred_at: new Date().toISOString() });
    // A one-millisecond range strictly inside the row's created_at..updated_at.
    const [range] = await t.query<{ from: string; to: string }>(
      `SELECT to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS from,
         to_char((m + interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS to
       FROM (SELECT date_trunc('milliseconds', created_at + (updated_at - created_at) / 2) AS m
             FROM remediation_audit WHERE remediation_name = 'rr-upd-range') s`,
    );
    const id = await place({ from: range?.from, to: range?.to });
    const before = await remediation("rr-upd-range");
    const where = "WHERE remediation_name = 'rr-upd-range'";

    expect(await refusal(`UPDATE remediation_audit SET created_at = updated_at ${where}`)).toMatch(leaving);
    expect(await refusal(`UPDATE remediation_audit SET updated_at = created_at ${where}`)).toMatch(leaving);
    expect(await refusal(`UPDATE remediation_audit SET updated_at = NULL ${where}`)).toMatch(leaving);
    expect(await remediation("rr-upd-range")).toEqual(before);
    expect(
      await refusal(`UPDATE remediation_audit SET updated_at = updated_at + interval '1 hour' ${where}`),
    ).toBeNull();

    expect((await release(id, { released_by: "legal" })).status).toBe(200);
    expect(await refusal(`UPDATE remediation_audit SET updated_at = created_at ${where}`)).toBeNull();
  });

  it("keeps an alert_processing_audit row held by fingerprint in its hold", async () => {
    const id = await place({ alert_fingerprint: "fp-upd-proc" });
    await write(PROCESSING, processing({ alert_fingerprint: "fp-upd-proc", remediation_id: "rr-upd-proc" }));
    const where = "WHERE remediation_id = 'rr-upd-proc'";

    expect(
      await refusal(`UPDATE alert_processing_audit SET alert_fingerprint = 'fp-other' ${where}`),
    ).toMatch(
      /a row of alert_processing_audit is under legal hold [0-9a-f-]+: an update cannot take it out of the hold/,
    );
    // The correlation does not decide this hold: renaming it leaves the row held, and is allowed.
    expect(
      await refusal(`UPDATE alert_processing_audit SET remediation_id = 'rr-upd-proc-2' ${where}`),
    ).toBeNull();
    const rows = await t.query(
      "SELECT alert_fingerprint FROM alert_processing_audit WHERE remediation_id = 'rr-upd-proc-2'",
    );
    expect(rows).toEqual([{ alert_fingerprint: "fp-upd-proc" }]);

    expect((await release(id, { released_by: "legal" })).status).toBe(200);
    expect(
      await refusal(
        "UPDATE alert_processing_audit SET alert_fingerprint = 'fp-other' WHERE remediation_id = 'rr-upd-proc-2'",
      ),
    ).toBeNull();
  });

  it("keeps an archived row in its hold", async () => {
    const id = await place({ correlation_id: "rr-upd-archived" });
    await write(
      ORCHESTRATION,
      orchestration({ alert_fingerprint: "fp-upd-archived", remediation_name: "rr-upd-archived" }),
    );
    await t.query(
      "INSERT INTO remediation_audit_archive SELECT * FROM remediation_audit WHERE remediation_name = 'rr-upd-archived'",
    );
    expect(
      await refusal(
        "UPDATE remediation_audit_archive SET remediation_name = 'zz' WHERE remediation_name = 'rr-upd-archived'",
      ),
    ).toMatch(
      /a row of remediation_audit_archive is under legal hold [0-9a-f-]+: an update cannot take it out/,
    );
    expect((await release(id, { released_by: "legal" })).status).toBe(200);
  });
});
