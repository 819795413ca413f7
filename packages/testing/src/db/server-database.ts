import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database (or, failing that, a schema) of its own on a PostgreSQL server, removed by `drop()`. */
export interface ServerDatabase {
  /** Connects to it: the server URL with another database name, or with a search_path for the schema. */
  url: string;
  /** Where drizzle records applied migrations, private to this database or schema. */
  migrationsSchema: string;
  drop(): Promise<void>;
}

const INSUFFICIENT_PRIVILEGE = "42501";

/**
 * Creates `test_<random>` on the server `serverUrl` points at. When the role may not create databases, it
 * creates a schema of that name instead and points the URL's search_path at it (then `public`, where the
 * vector extension is installed, so that dropping the schema never drops the extension).
 */
export async function createServerDatabase(serverUrl: string): Promise<ServerDatabase> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  try {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    return createServerSchema(serverUrl, name);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    migrationsSchema: "drizzle",
    drop: once(() =>
      withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
    ),
  };
}

async function createServerSchema(serverUrl: string, name: string): Promise<ServerDatabase> {
  await withClient(serverUrl, async (client) => {
    await client.query("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public");
    await client.query(`CREATE SCHEMA ${name}`);
  });
  const url = new URL(serverUrl);
  url.searchParams.set("options", `-c search_path=${name},public`);
  return {
    url: url.href,
    migrationsSchema: name,
    drop: once(() =>
      withClient(serverUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)),
    ),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function once(work: () => Promise<unknown>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= work().then(() => undefined);
    return done;
  };
}
