/** How to reach the database. Every field is optional: the defaults run on a laptop. */
export interface DatabaseConfig {
  /**
   * `postgres://…` or `postgresql://…`: PostgreSQL through a node-postgres pool.
   * `memory://`: embedded PGlite in memory. Absent or empty: embedded PGlite persisted in `dataDir`.
   */
  url?: string | undefined;
  /** The PGlite data directory when `url` is absent. Default `./.data`; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** Connections in the node-postgres pool. Default 10. Ignored by PGlite, which has one session. */
  poolSize?: number | undefined;
  /** The folder of drizzle-kit migrations. Default: the nearest `migrations/` folder above this package. */
  migrationsFolder?: string | undefined;
  /** The schema of drizzle's migrations table. Default `drizzle`. */
  migrationsSchema?: string | undefined;
  /** Errors of idle pooled connections (for example a server restart). Default: a process warning. */
  onPoolError?: ((error: Error) => void) | undefined;
}

export const DEFAULT_DATA_DIR = "./.data";
export const DEFAULT_POOL_SIZE = 10;
export const MEMORY_URL = "memory://";

/** Where the database lives, decided from a `DatabaseConfig`. */
export type DatabaseTarget =
  | { driver: "pglite"; dataDir: string | undefined }
  | { driver: "node-postgres"; url: string; poolSize: number };

/** Decides the driver; throws an error naming the bad field when the config is invalid. */
export function resolveTarget(config: DatabaseConfig): DatabaseTarget {
  const url = config.url?.trim() ?? "";
  if (url === "") {
    const dataDir = config.dataDir?.trim() || DEFAULT_DATA_DIR;
    return { driver: "pglite", dataDir: dataDir === MEMORY_URL ? undefined : dataDir };
  }
  if (url === MEMORY_URL) return { driver: "pglite", dataDir: undefined };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `database url must start with postgres://, postgresql:// or be ${MEMORY_URL} (got "${redact(url)}")`,
    );
  }
  const poolSize = config.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(`database pool size must be a whole number of at least 1 (got ${poolSize})`);
  }
  return { driver: "node-postgres", url, poolSize };
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, "$1***@");
}
