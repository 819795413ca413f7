import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";

/**
 * Tampering made the way an administrator would, bypassing the triggers (session_replication_role = replica),
 * is found by GET /api/v1/audit/verify and named: which event, which leaf, what is wrong.
 */
let t: AuditLogApp;
let ids: string[];

beforeEach(async () => {
  t = await openAuditLogApp();
  ids = await t.writeIncident("rr-x", 6);
  await t.writeIncident("rr-y", 4);
  await t.seal();
  expect(await t.verify("rr-x")).toMatchObject({ verified: true, records: 6, leaves: 6 });
});
afterEach(async () => {
  await t.close();
});

const leafOf = async (eventId: string) =>
  Number(
    (
      await t.query<{ i: string }>(
        `SELECT leaf_index AS i FROM audit_log_leaves WHERE event_id = '${eventId}'`,
      )
    )[0]?.i,
  );

/** The database's error for a statement, or null when it ran. */
async function refusal(statement: string, asRetention = false): Promise<string | null> {
  try {
    await t.database.transaction(async (tx) => {
      if (asRetention) await tx.execute(sql`SELECT set_config('kubernaut.retention', 'on', true)`);
      await tx.execute(statement);
    });
    return null;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? (err as Error).message;
  }
}

describe("the database refuses rewrites", () => {
  it("audit_events: no UPDATE for anyone, DELETE and TRUNCATE only for the retention job", async () => {
    expect(await refusal(`UPDATE audit_events SET event_type = 'x' WHERE event_id = '${ids[0]}'`)).toMatch(
      /audit_events is append-only: UPDATE is refused/,
    );
    expect(await refusal(`UPDATE audit_events SET event_type = 'x'`, true)).toMatch(/UPDATE is refused/);
    expect(await refusal(`DELETE FROM audit_events WHERE event_id = '${ids[0]}'`)).toMatch(
      /DELETE is refused/,
    );
    expect(await refusal("TRUNCATE audit_events")).toMatch(/TRUNCATE is refused/);
    expect(await refusal(`DELETE FROM audit_events WHERE event_id = '${ids[0]}'`, true)).toBeNull();
  });

  it("the log's own tables: no UPDATE, DELETE or TRUNCATE, not even for retention", async () => {
    for (const statement of [
      "UPDATE audit_log_leaves SET correlation_id = 'x'",
      "DELETE FROM audit_log_leaves",
      "TRUNCATE audit_log_nodes",
      "DELETE FROM audit_log_checkpoints",
      "UPDATE audit_log_checkpoints SET note = ''",
    ]) {
      expect(await refusal(statement, true), statement).toMatch(/is append-only/);
    }
  });
});

describe("verify names what was done", () => {
  it("a changed field: altered, that event and leaf only", async () => {
    await t.tamper(
      `UPDATE audit_events SET payload = jsonb_set(payload, '{overall_phase}', '"completed"') WHERE event_id = '${ids[2]}'`,
    );
    const result = await t.verify("rr-x");
    expect(result).toMatchObject({ verified: false, log_problems: [] });
    expect(result.problems).toEqual([
      {
        event_id: ids[2],
        leaf_index: await leafOf(ids[2] as string),
        problem: "altered",
        detail: expect.stringMatching(
          /no longer hashes to leaf \d+: a field was changed after it was sealed/,
        ),
      },
    ]);
    expect((await t.verify("rr-y")).verified).toBe(true);
  });

  it("a row deleted in the middle: missing", async () => {
    await t.tamper(`DELETE FROM audit_events WHERE event_id = '${ids[3]}'`);
    const result = await t.verify("rr-x");
    expect(result).toMatchObject({ verified: false, records: 5, leaves: 6 });
    expect(result.problems).toEqual([
      {
        event_id: ids[3],
        leaf_index: await leafOf(ids[3] as string),
        problem: "missing",
        detail: expect.stringMatching(/its row is gone from audit_events/),
      },
    ]);
  });

  it("the newest rows deleted: each missing", async () => {
    const leaves = await Promise.all(ids.map(leafOf));
    const lastTwo = ids.filter((_, i) => (leaves[i] as number) >= Math.max(...leaves) - 1);
    expect(lastTwo).toHaveLength(2);
    await t.tamper(`DELETE FROM audit_events WHERE event_id IN ('${lastTwo.join("','")}')`);
    const result = await t.verify("rr-x");
    expect(result.problems.map((p) => [p.event_id, p.problem]).sort()).toEqual(
      lastTwo.map((id) => [id, "missing"]).sort(),
    );
  });

  it("two rows swapped (their times exchanged): out_of_order, each naming the other", async () => {
    const [a, b] = [ids[1] as string, ids[4] as string];
    await t.tamper(`
      UPDATE audit_events SET occurred_at = CASE event_id WHEN '${a}' THEN x.b_at ELSE x.a_at END
      FROM (SELECT (SELECT occurred_at FROM audit_events WHERE event_id = '${a}') AS a_at,
                   (SELECT occurred_at FROM audit_events WHERE event_id = '${b}') AS b_at) x
      WHERE event_id IN ('${a}', '${b}')`);
    const result = await t.verify("rr-x");
    expect(result.problems.map((p) => [p.event_id, p.problem]).sort()).toEqual(
      [
        [a, "out_of_order"],
        [b, "out_of_order"],
      ].sort(),
    );
    expect(result.problems.find((p) => p.event_id === a)?.detail).toMatch(
      new RegExp(`swapped with event ${b} \\(leaf \\d+\\): their occurred_at were exchanged`),
    );
  });

  it("a record moved to another incident is still checked against its own leaf", async () => {
    await t.tamper(`UPDATE audit_events SET correlation_id = 'rr-y' WHERE event_id = '${ids[0]}'`);
    expect((await t.verify("rr-x")).problems).toMatchObject([{ event_id: ids[0], problem: "altered" }]);
    expect((await t.verify("rr-y")).problems).toMatchObject([{ event_id: ids[0], problem: "altered" }]);
  });

  it("a row and its leaf rewritten together: the leaf is not in the signed tree", async () => {
    await t.tamper(
      `UPDATE audit_events SET event_type = 'remediation-orchestration.completed' WHERE event_id = '${ids[5]}'`,
    );
    const [row] = await t
      .leaves(`correlation_id=rr-x`)
      .then((list) => list.items.filter((l) => l.event_id === ids[5]));
    const { recordLeafHash } = await import("@kubernaut/tlog");
    const forged = recordLeafHash(row?.record).toString("hex");
    await t.tamper(
      `UPDATE audit_log_leaves SET leaf_hash = decode('${forged}', 'hex') WHERE event_id = '${ids[5]}'`,
    );
    // Its proof fails, and so does the proof of its neighbour, which is proven with the rewritten hash.
    const result = await t.verify("rr-x");
    expect(result.verified).toBe(false);
    expect(result.problems.map((p) => p.problem)).toEqual(result.problems.map(() => "not_in_checkpoint"));
    expect(result.problems.map((p) => p.event_id)).toContain(ids[5]);
  });

  it("a checkpoint rewritten in the database: its signature does not verify", async () => {
    await t.tamper("UPDATE audit_log_checkpoints SET note = replace(note, E'\\n10\\n', E'\\n11\\n')");
    const result = await t.verify("rr-x");
    expect(result.verified).toBe(false);
    expect(result.log_problems).toEqual([
      expect.stringMatching(/latest checkpoint \(tree size 10\) does not verify/),
    ]);
  });
});
