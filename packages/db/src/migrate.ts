import { sql } from "drizzle-orm";
import { type MigrationConfig, type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";
import { execute } from "./execute.js";
import type { Db, MigrationStatus } from "./types.js";

/** Where the migrations are and where drizzle records the applied ones. */
export interface MigrationSource {
  migrationsFolder: string;
  migrationsSchema: string;
}

/** The advisory lock key `migrate()` holds on PostgreSQL (the retention job uses its neighbour). */
export const MIGRATION_LOCK_KEY = 7_244_531_000;

export const MIGRATIONS_TABLE = "__drizzle_migrations";

/** The config of drizzle's migrator, once the folder is known to be readable (else the error names it). */
export function drizzleMigrationConfig(source: MigrationSource): MigrationConfig {
  readMigrations(source);
  return migrationConfig(source);
}

function migrationConfig(source: MigrationSource): MigrationConfig {
  return {
    migrationsFolder: source.migrationsFolder,
    migrationsSchema: source.migrationsSchema,
    migrationsTable: MIGRATIONS_TABLE,
  };
}

/** The migrations folder is missing or unreadable. The message is one line naming the folder. */
export class MigrationsFolderError extends Error {
  constructor(
    readonly folder: string,
    cause: unknown,
  ) {
    super(`cannot read the migrations in ${folder}: ${(cause as Error).message}`, { cause });
    this.name = "MigrationsFolderError";
  }
}

/** The migrations of the folder, oldest first; the error names the folder when it cannot be read. */
export function readMigrations(source: MigrationSource): MigrationMeta[] {
  try {
    return readMigrationFiles(migrationConfig(source));
  } catch (error) {
    throw new MigrationsFolderError(source.migrationsFolder, error);
  }
}

/**
 * Compares the folder with drizzle's migrations table. Drizzle applies a migration when it is newer than the
 * newest applied one, so the same rule counts what is pending.
 */
export async function readMigrationStatus(db: Db, source: MigrationSource): Promise<MigrationStatus> {
  const migrations = readMigrations(source);
  const table = `"${source.migrationsSchema}"."${MIGRATIONS_TABLE}"`;
  const [found] = await execute<{ present: boolean }>(
    db,
    sql`SELECT to_regclass(${table}) IS NOT NULL AS present`,
  );
  let newest = Number.NEGATIVE_INFINITY;
  if (found?.present) {
    const [last] = await execute<{ newest: string | number | null }>(
      db,
      sql`SELECT max(created_at) AS newest FROM ${sql.identifier(source.migrationsSchema)}.${sql.identifier(MIGRATIONS_TABLE)}`,
    );
    if (last?.newest != null) newest = Number(last.newest);
  }
  const pending = migrations.filter((m) => m.folderMillis > newest).length;
  return { total: migrations.length, applied: migrations.length - pending, pending, upToDate: pending === 0 };
}
