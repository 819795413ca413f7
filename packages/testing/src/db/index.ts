import { createDatabase, type Database, type Db } from "@kubernaut/db";
import { containerServerUrl } from "./container.js";
import { createPgliteTestDatabase } from "./pglite-template.js";
import { createServerDatabase } from "./server-database.js";
import { processTier, type TestDbTier } from "./tier.js";

export { CONTAINER_IMAGE } from "./container.js";
export { type ContainerRuntimeProbe, probeContainerRuntime } from "./container-runtime.js";
export { createServerDatabase, type ServerDatabase } from "./server-database.js";
export { decideTier, processTier, TEST_DB_TIERS, type TestDbTier, type TierChoice } from "./tier.js";

/** One test's own database. */
export interface TestDatabase {
  /** The typed Drizzle database. */
  db: Db;
  /** The whole handle: `execute`, `transaction`, `migrate`, `migrationStatus`, `poolStats`. */
  database: Database;
  tier: TestDbTier;
  /**
   * On the `postgres` and `container` tiers, a URL of this database, e.g. for a server process under test.
   * (When the role may not create databases, it names a schema through `options=-c search_path=…`; a process
   * that migrates it must be given `migrationsSchema`.)
   */
  url?: string;
  /** The schema of drizzle's migrations table: `drizzle`, or the test's schema in that fallback. */
  migrationsSchema: string;
  /** Closes the connections and drops the database. Idempotent. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the migrations first. Default true; false gives an empty database. */
  migrate?: boolean;
  /** Pool size on the PostgreSQL tiers. Default 5. */
  poolSize?: number;
  /** The migrations to apply, now and on `database.migrate()`. Default: the repository's `migrations/`. */
  migrationsFolder?: string;
}

/**
 * An isolated database for one test, from the best tier available (see `decideTier`): a new database on
 * `TEST_DATABASE_URL`'s server, on a pgvector container, or a new in-memory PGlite. Close it after the test.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { tier } = await processTier();
  const migrate = options.migrate ?? true;
  if (tier === "pglite") {
    const database = await createPgliteTestDatabase(migrate, options.migrationsFolder);
    return { db: database.db, database, tier, migrationsSchema: "drizzle", close: () => database.close() };
  }
  const serverUrl = tier === "postgres" ? (process.env.TEST_DATABASE_URL ?? "") : await containerServerUrl();
  const server = await createServerDatabase(serverUrl);
  const database = await createDatabase({
    url: server.url,
    poolSize: options.poolSize ?? 5,
    migrationsSchema: server.migrationsSchema,
    migrationsFolder: options.migrationsFolder,
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= database.close().finally(() => server.drop());
    return closing;
  };
  try {
    if (migrate) await database.migrate();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db: database.db,
    database,
    tier,
    url: server.url,
    migrationsSchema: server.migrationsSchema,
    close,
  };
}
