import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ORCHESTRATION, orchestration } from "../support/audit-records.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeEach(async () => {
  // One statement at a time and one record waiting: concurrent requests overfill the queue at once.
  t = await openTestApp({ env: { WRITE_QUEUE_MAX_RECORDS: "1", DB_POOL_SIZE: "1" } });
});
afterEach(async () => {
  await t.close();
});

describe("writes beyond WRITE_QUEUE_MAX_RECORDS", () => {
  it("are refused with 429 and Retry-After, nothing of them stored; the rest are stored, and a retry succeeds", async () => {
    const bodies = Array.from({ length: 20 }, (_, i) =>
      orchestration({ event_id: crypto.randomUUID(), remediation_name: `rr-queue-${i}` }),
    );
    const answers = await Promise.all(bodies.map((body) => t.post(ORCHESTRATION, body)));

    const refused = bodies.filter((_, i) => answers[i]?.status === 429);
    const stored = bodies.filter((_, i) => answers[i]?.status === 201);
    expect(refused.length).toBeGreaterThan(0);
    expect(stored.length + refused.length).toBe(bodies.length);
    const refusal = answers.find((answer) => answer.status === 429);
    expect(refusal?.headers.get("retry-after")).toBe("1");
    expect(refusal?.headers.get("content-type")).toContain("application/problem+json");
    expect(await refusal?.json()).toMatchObject({
      status: 429,
      title: "Too many requests",
      detail: expect.stringMatching(/records are waiting to be written \(at most 1\); retry later$/),
    });

    const rows = await t.query<{ correlation_id: string }>("SELECT correlation_id FROM audit_events");
    expect(rows.map((row) => row.correlation_id).sort()).toEqual(
      stored.map((b) => b.remediation_name).sort(),
    );
    const metrics = await (await t.get("/metrics")).text();
    expect(metrics).toContain(
      `datastorage_audit_writes_total{source="orchestrator",outcome="throttled"} ${refused.length}`,
    );

    // Sent again one at a time, as a publisher honouring Retry-After does, every refused record is stored.
    for (const body of refused) expect((await t.post(ORCHESTRATION, body)).status).toBe(201);
    const [count] = await t.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(count?.n).toBe(bodies.length);
  });
});
