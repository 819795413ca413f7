import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { schema } from "@kubernaut/schema";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { LockSource, registerLockSource } from "./advisory-lock.js";
import { execute } from "./execute.js";
import { drizzleMigrationConfig, readMigrationStatus } from "./migrate.js";
import { type DriverOptions, migrationSource, once, oneAtATime } from "./shared.js";
import type { Database, Db } from "./types.js";

/** PGlite runs every query on its one session. */
const PGLITE_POOL = { total: 1, idle: 1, waiting: 0, max: 1 } as const;

export interface OpenPgliteOptions {
  /** A data directory to persist in; absent: in memory. Created when missing. */
  dataDir?: string | undefined;
  /** A tarball from `PGlite.dumpDataDir()` to start from, e.g. an already migrated database. */
  loadDataDir?: Blob | undefined;
}

/** Starts an embedded PostgreSQL (PGlite) with the pgvector extension available. */
export async function openPglite(options: OpenPgliteOptions = {}): Promise<PGlite> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { vector },
  });
}

export interface PgliteDatabaseOptions extends DriverOptions {
  /** Runs after the PGlite is closed, e.g. to release the data directory's lock. */
  onClose?: (() => Promise<void>) | undefined;
}

/** The `Database` over an open PGlite; `close()` closes the PGlite. */
export function createPgliteDatabase(client: PGlite, options: PgliteDatabaseOptions = {}): Database {
  const db: Db = drizzle({ client, schema });
  const source = migrationSource(options);
  // PGlite's one session takes every lock: there is no connection to check out or discard.
  registerLockSource(db, new LockSource(async () => ({ db, release: () => {} })));
  return {
    driver: "pglite",
    db,
    execute: (query) => execute(db, query),
    executePrepared: (query) => execute(db, query),
    transaction: (work) => db.transaction(work),
    migrate: oneAtATime(() => migrate(drizzle({ client }), drizzleMigrationConfig(source))),
    migrationStatus: () => readMigrationStatus(db, source),
    poolStats: () => ({ ...PGLITE_POOL }),
    close: once(async () => {
      if (!client.closed) await client.close();
      await options.onClose?.();
    }),
  };
}
