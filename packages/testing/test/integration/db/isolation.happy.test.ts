import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../src/db/index.js";

const retentionRun = `INSERT INTO retention_runs (trigger, dry_run, retention_days, cutoff, status)
  VALUES ('manual', false, 90, now(), 'completed')`;

describe("createTestDatabase", () => {
  const opened: TestDatabase[] = [];
  const open = async (options?: Parameters<typeof createTestDatabase>[0]) => {
    const t = await createTestDatabase(options);
    opened.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((t) => t.close()));
  });

  it("gives each test its own migrated database on the tier it names", async () => {
    const [a, b] = [await open(), await open()];

    await a.db.execute(retentionRun);

    expect(await a.database.execute(`SELECT count(*) AS n FROM retention_runs`)).toEqual([{ n: 1 }]);
    expect(await b.database.execute(`SELECT count(*) AS n FROM retention_runs`)).toEqual([{ n: 0 }]);
    expect(await a.database.migrationStatus()).toMatchObject({ upToDate: true });
    expect(a.tier).toBe(process.env.TEST_DATABASE_URL ? "postgres" : "pglite");
    expect(a.database.driver).toBe(a.tier === "pglite" ? "pglite" : "node-postgres");
    expect(a.url === undefined).toBe(a.tier === "pglite");
  });

  it("gives an empty database when asked not to migrate", async () => {
    const t = await open({ migrate: false });

    const tables = await t.database.execute(`
      SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()`);
    expect(tables).toEqual([{ n: 0 }]);
    expect(await t.database.migrationStatus()).toMatchObject({ applied: 0, upToDate: false });
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "drops its database on close, so a server process can use the url until then",
    async () => {
      const t = await open();
      const name = new URL(t.url ?? "").pathname.slice(1);
      const exists = async () => {
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        try {
          return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
        } finally {
          await admin.end();
        }
      };
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      expect((await client.query("SELECT count(*)::int AS n FROM remediation_audit")).rows).toEqual([
        { n: 0 },
      ]);
      await client.end();
      expect(await exists()).toBe(true);

      await t.close();
      await t.close();

      expect(await exists()).toBe(false);
    },
  );
});
