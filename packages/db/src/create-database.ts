import pg from "pg";
import { type DatabaseConfig, redact, resolveTarget } from "./config.js";
import { lockDataDir } from "./data-dir-lock.js";
import { createNodePostgresDatabase } from "./node-postgres.js";
import { createPgliteDatabase, openPglite } from "./pglite.js";
import type { Database } from "./types.js";

/**
 * Opens the database the config names: node-postgres for a `postgres://` URL, embedded PGlite otherwise.
 * Nothing is migrated: call `migrate()`. A PGlite data directory is locked for this process until `close()`
 * (`DataDirLockedError` when another live process holds it).
 */
export async function createDatabase(config: DatabaseConfig = {}): Promise<Database> {
  const target = resolveTarget(config);
  const options = { migrationsFolder: config.migrationsFolder, migrationsSchema: config.migrationsSchema };
  if (target.driver === "pglite") {
    if (target.dataDir === undefined) return createPgliteDatabase(await openPglite(), options);
    const lock = await lockDataDir(target.dataDir);
    try {
      const client = await openPglite({ dataDir: target.dataDir });
      return createPgliteDatabase(client, { ...options, onClose: lock.release });
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize,
    application_name: "kubernaut-audit",
  });
  // An idle connection's error (e.g. the server restarting) is emitted on the pool and would end the process.
  const onPoolError =
    config.onPoolError ??
    ((error: Error) =>
      process.emitWarning(`idle connection to ${redact(target.url)} failed: ${error.message}`));
  pool.on("error", onPoolError);
  return createNodePostgresDatabase(pool, options);
}
