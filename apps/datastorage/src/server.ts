import { serve } from "@hono/node-server";
import { pino } from "pino";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createAuditWriter, databaseProbe, openDatabase } from "./database.js";
import { createEmbedder } from "./embeddings/embedder.js";
import type { AppDeps } from "./env.js";
import { collectProcessMetrics, createServiceMetrics } from "./metrics.js";
import { startRetentionSchedule } from "./retention/schedule.js";

/**
 * The Data Storage Service process: config, database (migrated at start-up unless MIGRATE_ON_START=false),
 * the HTTP listener and the retention schedule. SIGTERM: /readyz turns 503, in-flight requests finish,
 * the schedule stops, the pool closes, exit 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL, base: { service: "datastorage" } });
  const database = await openDatabase(config, logger);
  if (config.MIGRATE_ON_START) await database.migrate();

  const metrics = createServiceMetrics();
  collectProcessMetrics(metrics.registry);
  const lifecycle = { shuttingDown: false };
  const deps: AppDeps = {
    db: database.db,
    writer: createAuditWriter(database, config),
    database: databaseProbe(database),
    config,
    logger,
    metrics,
    clock: () => new Date(),
    embedder: createEmbedder(config),
    lifecycle,
  };
  const app = createApp(deps);
  const stopRetention = config.RETENTION_ENABLED ? startRetentionSchedule(deps) : async () => {};
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
    logger.info({ host: info.address, port: info.port, auth: config.AUTH_MODE }, "listening"),
  );

  const shutdown = async (signal: string): Promise<void> => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT }, "in-flight requests did not finish in time");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT);
    deadline.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stopRetention();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void shutdown(signal));
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`datastorage: ${err.message}\n`);
  } else {
    process.stderr.write(
      `datastorage: cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
