import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database created for one storage service instance, dropped with it. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the PostgreSQL server `serverUrl` points at, so that each storage
 * service started in a test has its own tables. The returned URL differs from `serverUrl` only in the
 * database name.
 */
export async function createFreshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const name = `kubernaut_storage_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.href,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Runs SQL on a database (e.g. a storage service's `databaseUrl`), on a connection of its own. */
export async function runSql(databaseUrl: string, sql: string): Promise<void> {
  await withAdmin(databaseUrl, (client) => client.query(sql));
}

async function withAdmin(serverUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
