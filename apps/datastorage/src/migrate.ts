import { pino } from "pino";
import { loadConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { exitMessage } from "./exit.js";

/**
 * `pnpm --filter @kubernaut/datastorage migrate`: applies pending migrations once and exits. Safe to run from
 * several replicas at once: @kubernaut/db holds an advisory lock while it migrates.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL, base: { service: "datastorage-migrate" } });
  const database = await openDatabase(config, logger);
  try {
    const before = await database.migrationStatus();
    await database.migrate();
    const after = await database.migrationStatus();
    logger.info({ applied: before.pending - after.pending, total: after.total }, "migrations applied");
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`datastorage migrate: ${exitMessage(err)}\n`);
  process.exit(1);
});
