import {
  createDatabase,
  type Database,
  type Db,
  execute,
  tryWithAdvisoryLock,
  withAdvisoryLock,
} from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const KEY = 7_244_531_900;

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Advisory locks held in this database, by any session. */
async function heldLocks(db: Db): Promise<number> {
  const [row] = await execute<{ n: number }>(
    db,
    sql`SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
  );
  return row?.n ?? -1;
}

describe("session advisory locks", () => {
  let t: TestDatabase;
  /** Two holders: on PostgreSQL two pools, as two replicas have; PGlite has one session per process. */
  let replicas: [Database, Database];

  beforeEach(async () => {
    t = await createTestDatabase();
    replicas = t.url
      ? [
          await createDatabase({ url: t.url, poolSize: 2, migrationsSchema: t.migrationsSchema }),
          await createDatabase({ url: t.url, poolSize: 2, migrationsSchema: t.migrationsSchema }),
        ]
      : [t.database, t.database];
  });
  afterEach(async () => {
    await Promise.all(replicas.filter((r) => r !== t.database).map((r) => r.close()));
    await t.close();
  });

  it("runs the work holding the lock on the session it hands over, then releases it and the connection", async () => {
    const attempt = await tryWithAdvisoryLock(t.db, KEY, async (session) => {
      const [mine] = await execute<{ n: number }>(
        session,
        sql`SELECT count(*) AS n FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted`,
      );
      return { mine: mine?.n, held: await heldLocks(t.db) };
    });

    expect(attempt).toEqual({ acquired: true, value: { mine: 1, held: 1 } });
    expect(await heldLocks(t.db)).toBe(0);
    const stats = t.database.poolStats();
    expect(stats.idle).toBe(stats.total);
  });

  it("keeps a second holder out while the first works, and lets it in afterwards", async () => {
    const [a, b] = replicas;
    const inside = gate();
    const done = gate();
    const first = tryWithAdvisoryLock(a.db, KEY, async () => {
      inside.open();
      await done.opened;
      return "first";
    });
    await inside.opened;

    expect(await tryWithAdvisoryLock(b.db, KEY, async () => "second")).toEqual({ acquired: false });
    expect(await tryWithAdvisoryLock(a.db, KEY, async () => "again")).toEqual({ acquired: false });
    // Another key is free meanwhile.
    expect(await tryWithAdvisoryLock(b.db, KEY + 1, async () => "other")).toEqual({
      acquired: true,
      value: "other",
    });

    done.open();
    expect(await first).toEqual({ acquired: true, value: "first" });
    expect(await tryWithAdvisoryLock(b.db, KEY, async () => "second")).toEqual({
      acquired: true,
      value: "second",
    });
  });

  it("makes a waiting holder wait until the first releases the lock", async () => {
    const [a, b] = replicas;
    const order: string[] = [];
    const inside = gate();
    const done = gate();
    const first = withAdvisoryLock(a.db, KEY, async () => {
      inside.open();
      await done.opened;
      order.push("first");
    });
    await inside.opened;
    const second = withAdvisoryLock(b.db, KEY, async () => {
      order.push("second");
      return 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);

    done.open();
    await first;
    expect(await second).toBe(2);
    expect(order).toEqual(["first", "second"]);
    expect(await heldLocks(t.db)).toBe(0);
  });

  it("releases the lock and the connection when the work throws", async () => {
    const [a, b] = replicas;
    await expect(
      tryWithAdvisoryLock(a.db, KEY, async (session) => {
        await execute(session, sql`SELECT 1`);
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");
    await expect(
      withAdvisoryLock(a.db, KEY, (session) =>
        session.transaction(() => Promise.reject(new Error("rolled back"))),
      ),
    ).rejects.toThrow("rolled back");

    expect(await heldLocks(t.db)).toBe(0);
    const stats = a.poolStats();
    expect(stats.idle).toBe(stats.total);
    expect(await tryWithAdvisoryLock(b.db, KEY, async () => "after")).toEqual({
      acquired: true,
      value: "after",
    });
  });

  it("refuses a key that is not a safe integer, and a database this package did not open", async () => {
    await expect(tryWithAdvisoryLock(t.db, 2 ** 53, async () => 1)).rejects.toThrow(RangeError);
    await expect(tryWithAdvisoryLock({} as Db, KEY, async () => 1)).rejects.toThrow(
      "advisory locks need a database opened by @kubernaut/db",
    );
  });
});
