import { randomBytes } from "node:crypto";
import { createDatabase } from "@kubernaut/db";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServerDatabase } from "../../../src/db/index.js";

const serverUrl = process.env.TEST_DATABASE_URL;

/** A role that may not create databases gets a schema of its own instead, migrated like a database. */
describe.runIf(serverUrl)("createServerDatabase for a role without CREATEDB", () => {
  const suffix = randomBytes(4).toString("hex");
  const role = `limited_${suffix}`;
  const home = `limited_home_${suffix}`;
  let limitedUrl: string;

  const asSuperuser = async (statements: string[], database?: string) => {
    const url = new URL(serverUrl ?? "");
    if (database) url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeEach(async () => {
    await asSuperuser([`CREATE ROLE ${role} LOGIN NOCREATEDB`, `CREATE DATABASE ${home} OWNER ${role}`]);
    // pgvector is not a trusted extension: an administrator installs it, as a managed service would.
    await asSuperuser(["CREATE EXTENSION vector"], home);
    const url = new URL(serverUrl ?? "");
    url.username = role;
    url.pathname = `/${home}`;
    limitedUrl = url.href;
  });
  afterEach(async () => {
    await asSuperuser([`DROP DATABASE IF EXISTS ${home} WITH (FORCE)`, `DROP ROLE IF EXISTS ${role}`]);
  });

  it("creates a schema, migrates into it, and drops it", async () => {
    const server = await createServerDatabase(limitedUrl);
    expect(server.migrationsSchema).toMatch(/^test_[0-9a-f]{12}$/);

    const database = await createDatabase({ url: server.url, migrationsSchema: server.migrationsSchema });
    try {
      await database.migrate();
      expect(await database.migrationStatus()).toMatchObject({ upToDate: true });
      const [where] = await database.execute(`
        SELECT table_schema FROM information_schema.tables WHERE table_name = 'ai_investigation_embeddings'`);
      expect(where?.table_schema).toBe(server.migrationsSchema);
    } finally {
      await database.close();
    }

    await server.drop();

    const schemas = new pg.Client({ connectionString: limitedUrl });
    await schemas.connect();
    const left = await schemas.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [
      server.migrationsSchema,
    ]);
    const vector = await schemas.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
    await schemas.end();
    expect(left.rowCount).toBe(0);
    expect(vector.rowCount).toBe(1);
  });
});
