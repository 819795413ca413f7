/**
 * The advisory lock key of retention runs (`hashtext('kubernaut.retention')` would do; a constant is clearer): a
 * run holds it (`tryWithAdvisoryLock` of @kubernaut/db), so that across replicas at most one moves rows at a time.
 */
export const RETENTION_LOCK_KEY = 7_244_531_001;

/**
 * How long a step that drops a month partition waits for its locks by default: dropping a partition locks its table
 * against writes while it waits for the month's readers, so past this the month is left to the next run.
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

/** SQLSTATE of a lock not granted within `lock_timeout`. */
export const LOCK_NOT_AVAILABLE = "55P03";
