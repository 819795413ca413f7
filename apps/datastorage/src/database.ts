import { createDatabase, type Database, redact } from "@kubernaut/db";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { DatabaseProbe } from "./env.js";
import type { ServiceMetrics } from "./metrics.js";
import { GroupCommitWriter } from "./write/group-commit.js";
import { monthPartitionKeeper } from "./write/partitions.js";

/** The database the config names: PostgreSQL for DATABASE_URL, else embedded PGlite in DATA_DIR. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const database = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    migrationsFolder: config.MIGRATIONS_DIR,
    onPoolError: (err) => logger.error({ err }, "idle database connection failed"),
  });
  logger.info(
    { driver: database.driver, target: config.DATABASE_URL ? redact(config.DATABASE_URL) : config.DATA_DIR },
    "database open",
  );
  return database;
}

/** Ready means: the database answers and every migration in the folder is applied. */
export function databaseProbe(database: Database): DatabaseProbe {
  return {
    async checkReady() {
      const status = await database.migrationStatus();
      if (!status.upToDate) {
        throw new Error(`${status.pending} of ${status.total} migrations are not applied`);
      }
    },
    poolStats: () => database.poolStats(),
  };
}

/**
 * The audit write path over a database, with group commit (`GroupCommitWriter`). PGlite runs one statement at
 * a time, so there every request that arrives meanwhile joins the next statement; on PostgreSQL WRITE_CONCURRENCY
 * statements may run at once (at most DB_POOL_SIZE) before requests start sharing them: a write statement's cost is
 * mostly its own, so a few large ones go further than many small ones, and reads keep the rest of the pool. At most
 * WRITE_QUEUE_MAX_RECORDS records wait; beyond, requests are refused with 429 until the queue drains. Each
 * statement first makes sure its month's `audit_events` partition exists (once per month).
 */
export function createAuditWriter(
  database: Pick<Database, "execute" | "executePrepared" | "driver">,
  config: Config,
  metrics?: Pick<ServiceMetrics, "dbRetries">,
): GroupCommitWriter {
  return new GroupCommitWriter(database, {
    maxInFlight: database.driver === "pglite" ? 1 : Math.min(config.WRITE_CONCURRENCY, config.DB_POOL_SIZE),
    maxRecords: config.MAX_BATCH_RECORDS,
    maxQueuedRecords: config.WRITE_QUEUE_MAX_RECORDS,
    beforeStatement: monthPartitionKeeper(database),
    ...(metrics ? { onRetry: (error) => metrics.dbRetries.inc({ code: error.code ?? "connection" }) } : {}),
  });
}
