import { type Schema, schema } from "@kubernaut/schema";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import { holdAdvisoryLock, LockSource, registerLockSource } from "./advisory-lock.js";
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
  // A session advisory lock is taken on a connection checked out of the pool for as long as it is held.
  const locks = new LockSource(async () => {
    const client = await pool.connect();
    return { db: drizzle({ client, schema }), release: (error?: Error) => client.release(error) };
  });
  registerLockSource(db, locks);
  return {
    driver: "node-postgres",
    db,
    execute: (query) => execute(db, query),
    executePrepared: (query) => executePrepared(pool, query),
    transaction: (work) => db.transaction(work),
    migrate: oneAtATime(() => migrateUnderLock(locks, source)),
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
 * the process dies, and a connection that failed mid-migration is discarded.
 */
async function migrateUnderLock(
  locks: LockSource<NodePgDatabase<Schema>>,
  source: MigrationSource,
): Promise<void> {
  const config = drizzleMigrationConfig(source);
  await holdAdvisoryLock(locks, MIGRATION_LOCK_KEY, true, (session) => migrate(session, config));
}
