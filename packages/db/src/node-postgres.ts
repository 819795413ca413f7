import { schema } from "@kubernaut/schema";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import { execute, executePrepared } from "./execute.js";
import {
  drizzleMigrationConfig,
  MIGRATION_LOCK_KEY,
  type MigrationSource,
  readMigrationStatus,
} from "./migrate.js";
import { type DriverOptions, migrationSource, once, oneAtATime } from "./shared.js";
import type { Database, Db } from "./types.js";

/** The `Database` over a node-postgres pool; `close()` ends the pool. */
export function createNodePostgresDatabase(pool: pg.Pool, options: DriverOptions = {}): Database {
  const db: Db = drizzle({ client: pool, schema });
  const source = migrationSource(options);
  return {
    driver: "node-postgres",
    db,
    execute: (query) => execute(db, query),
    executePrepared: (query) => executePrepared(pool, query),
    transaction: (work) => db.transaction(work),
    migrate: oneAtATime(() => migrateUnderLock(pool, source)),
    migrationStatus: () => readMigrationStatus(db, source),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 10,
    }),
    close: once(() => pool.end()),
  };
}

/**
 * Migrates on one connection that holds a session advisory lock throughout: a replica that starts while
 * another migrates waits for it, then finds every migration applied. The lock goes with the connection if
 * the process dies.
 */
async function migrateUnderLock(pool: pg.Pool, source: MigrationSource): Promise<void> {
  const config = drizzleMigrationConfig(source);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client }), config);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    // A connection that failed mid-migration may still hold the lock or an aborted transaction: discard it.
    client.release(broken);
  }
}
