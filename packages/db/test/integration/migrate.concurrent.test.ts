import { createDatabase, type Database } from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * Replicas that start together all run migrate(). On PostgreSQL each replica has its own pool here, as in
 * production; PGlite has one session per process, so there the calls share one database.
 */
describe("concurrent migrate", () => {
  let t: TestDatabase;
  let replicas: Database[];

  beforeEach(async () => {
    t = await createTestDatabase({ migrate: false });
    replicas = t.url
      ? await Promise.all(
          [1, 2, 3].map(() =>
            createDatabase({ url: t.url, poolSize: 2, migrationsSchema: t.migrationsSchema }),
          ),
        )
      : [t.database, t.database, t.database];
  });
  afterEach(async () => {
    await Promise.all(replicas.filter((r) => r !== t.database).map((r) => r.close()));
    await t.close();
  });

  it("applies each migration once while every caller succeeds", async () => {
    const results = await Promise.allSettled(replicas.map((replica) => replica.migrate()));

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    const status = await t.database.migrationStatus();
    expect(status.upToDate).toBe(true);
    const [recorded] = await t.database.execute(
      sql`SELECT count(*) AS n FROM ${sql.identifier(t.migrationsSchema)}.__drizzle_migrations`,
    );
    expect(recorded?.n).toBe(status.total);
  });

  it("releases the lock, so a later migrate does not wait", async () => {
    await Promise.all(replicas.map((replica) => replica.migrate()));
    const [held] = await t.database.execute(sql`
      SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND d.datname = current_database()`);
    expect(held?.n).toBe(0);
    await replicas[0]?.migrate();
  });
});
