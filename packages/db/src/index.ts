export { type AdvisoryLockAttempt, tryWithAdvisoryLock, withAdvisoryLock } from "./advisory-lock.js";
export {
  type DatabaseConfig,
  type DatabaseTarget,
  DEFAULT_DATA_DIR,
  DEFAULT_POOL_SIZE,
  MEMORY_URL,
  redact,
  resolveTarget,
} from "./config.js";
export { createDatabase } from "./create-database.js";
export {
  DATA_DIR_LOCK_FILE,
  type DataDirLock,
  DataDirLockedError,
  lockDataDir,
} from "./data-dir-lock.js";
export {
  type ClassifiedDatabaseError,
  classifyDatabaseError,
  type DatabaseErrorKind,
  isTransientDatabaseError,
  type RetryOptions,
  retryTransient,
} from "./errors.js";
export { execute, executePrepared, type Row } from "./execute.js";
export {
  MIGRATION_LOCK_KEY,
  type MigrationSource,
  MigrationsFolderError,
  readMigrationStatus,
} from "./migrate.js";
export { defaultMigrationsFolder } from "./migrations-folder.js";
export { createNodePostgresDatabase } from "./node-postgres.js";
export {
  createPgliteDatabase,
  type OpenPgliteOptions,
  openPglite,
  type PgliteDatabaseOptions,
} from "./pglite.js";
export type { Database, Db, Driver, MigrationStatus, PoolStats, Tx } from "./types.js";
