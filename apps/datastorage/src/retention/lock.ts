/**
 * The advisory lock key of retention runs (`hashtext('kubernaut.retention')` would do; a constant is clearer): a
 * run holds it (`tryWithAdvisoryLock` of @kubernaut/db), so that across replicas at most one moves rows at a time.
 */
export const RETENTION_LOCK_KEY = 7_244_531_001;
