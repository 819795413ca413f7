import { DEFAULT_POOL_SIZE, execute } from "@kubernaut/db";
import { remediationAudit } from "@kubernaut/schema";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

describe("raw SQL, transactions and pool figures", () => {
  let t: TestDatabase;

  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(() => t.close());

  it("answers rows with the same value types on both drivers", async () => {
    const [row] = await t.database.execute(sql`
      SELECT count(*) AS n, 2::int AS i, 1.50::numeric(3,2) AS d, 0.5::float8 AS f,
             '2026-01-10 12:00:00+00'::timestamptz AT TIME ZONE 'UTC' AS ts, '1 hour'::interval AS iv,
             ARRAY['a','b'] AS arr, '{"k":[1]}'::jsonb AS j, true AS b, ${"x'; --"} AS param`);

    expect(row).toEqual({
      n: 1,
      i: 2,
      d: "1.50",
      f: 0.5,
      ts: "2026-01-10 12:00:00",
      iv: "01:00:00",
      arr: ["a", "b"],
      j: { k: [1] },
      b: true,
      param: "x'; --",
    });
  });

  it("runs prepared statements again and again, several texts side by side, answering as execute does", async () => {
    const typed = (n: number) => sql`SELECT count(*) AS n, ${n}::int AS i, ${`v${n}`}::text AS t`;
    const other = (n: number) => sql`SELECT ${n}::int + 1 AS next`;
    // More runs than PostgreSQL takes before it may switch a prepared statement to its generic plan.
    for (let n = 0; n < 8; n++) {
      expect(await t.database.executePrepared(typed(n))).toEqual(await t.database.execute(typed(n)));
      expect(await t.database.executePrepared(other(n))).toEqual([{ next: n + 1 }]);
    }
  });

  it("prepares each text once per connection on PostgreSQL, under a name of its own (PGlite prepares none)", async () => {
    const single = await createTestDatabase({ poolSize: 1 });
    try {
      for (let n = 0; n < 3; n++) {
        await single.database.executePrepared(sql`SELECT ${n}::int AS i`);
        await single.database.executePrepared(sql`SELECT ${n}::int AS j`);
      }
      const prepared = await single.database.execute<{ name: string; statement: string }>(
        sql`SELECT name, statement FROM pg_prepared_statements ORDER BY statement`,
      );
      if (single.database.driver === "pglite") {
        expect(prepared).toEqual([]);
        return;
      }
      expect(prepared.map((row) => row.statement)).toEqual(["SELECT $1::int AS i", "SELECT $1::int AS j"]);
      expect(new Set(prepared.map((row) => row.name)).size).toBe(2);
      for (const { name } of prepared) expect(name).toMatch(/^k_[\w-]{27}$/);
    } finally {
      await single.close();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "keeps a connection (and what it prepared) after a statement the server refused, drops it after a FATAL error (PostgreSQL)",
    async () => {
      const single = await createTestDatabase({ poolSize: 1 });
      const backend = async () =>
        (await single.database.executePrepared<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`))[0]?.pid;
      try {
        const first = await backend();
        await expect(single.database.executePrepared(sql`SELECT 1 / ${0}::int AS x`)).rejects.toMatchObject({
          code: "22012",
        });
        await expect(
          single.database.executePrepared(sql`SELECT ${"x".repeat(3)}::int AS x`),
        ).rejects.toMatchObject({ code: "22P02" });
        expect(await backend()).toBe(first);
        const prepared = await single.database.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT pg_backend_pid()%'`,
        );
        expect(prepared).toEqual([{ n: 1 }]);

        // The server ends the session (57P01, FATAL): that connection is gone, and the next statement gets a new one.
        await expect(
          single.database.executePrepared(sql`SELECT pg_terminate_backend(pg_backend_pid()) AS x`),
        ).rejects.toMatchObject({ code: "57P01" });
        const second = await backend();
        expect(second).toEqual(expect.any(Number));
        expect(second).not.toBe(first);
      } finally {
        await single.close();
      }
    },
  );

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    const insert = (name: string) =>
      t.database.transaction(async (tx) => {
        await tx.insert(remediationAudit).values({
          alertFingerprint: "fp",
          remediationName: name,
          overallPhase: "pending",
          startTime: new Date(),
        });
        const [inside] = await execute(tx, sql`SELECT count(*) AS n FROM remediation_audit`);
        if (name === "rolled-back") throw new Error(`abort with ${inside?.n} rows visible`);
      });

    await insert("committed");
    await expect(insert("rolled-back")).rejects.toThrow("abort with 2 rows visible");

    const names = await t.database.execute(sql`SELECT remediation_name FROM remediation_audit`);
    expect(names).toEqual([{ remediation_name: "committed" }]);
  });

  it("reports pool figures", async () => {
    const stats = t.database.poolStats();
    if (t.database.driver === "pglite") {
      expect(stats).toEqual({ total: 1, idle: 1, waiting: 0, max: 1 });
      return;
    }
    expect(stats.max).toBe(5);
    expect(DEFAULT_POOL_SIZE).toBe(10);
    const held = Promise.all([1, 2, 3].map(() => t.database.execute(sql`SELECT pg_sleep(2)`)));
    // The three queries hold a client each while they sleep, once each has been handed one.
    const busy = await vi.waitFor(
      () => {
        const stats = t.database.poolStats();
        if (stats.total - stats.idle < 3) throw new Error(`${stats.total - stats.idle} of 3 clients busy`);
        return stats;
      },
      { timeout: 1500, interval: 10 },
    );
    await held;
    expect(busy.total).toBeGreaterThanOrEqual(3);
    expect(busy.idle).toBe(busy.total - 3);
    expect(busy.waiting).toBe(0);
    expect(t.database.poolStats().idle).toBe(t.database.poolStats().total);
  });
});
