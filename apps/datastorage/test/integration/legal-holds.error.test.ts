import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
