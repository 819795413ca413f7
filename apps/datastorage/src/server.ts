import type { Server } from "node:http";
import { createServer } from "node:net";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { createApp } from "./app.js";
import { checkPublishDir } from "./audit-log/publish.js";
import { startSealer } from "./audit-log/sealer.js";
import { loadCheckpointSigner } from "./audit-log/signing-key.js";
import { loadConfig } from "./config.js";
import { createAuditWriter, databaseProbe, openDatabase } from "./database.js";
import { createEmbedder } from "./embeddings/embedder.js";
import type { AppDeps } from "./env.js";
import { exitMessage, PortInUseError } from "./exit.js";
import { collectProcessMetrics, createServiceMetrics } from "./metrics.js";
import { startRetentionSchedule } from "./retention/schedule.js";
import { ensureMonthPartitions } from "./write/partitions.js";

/**
 * The Data Storage Service process: config, database (migrated at start-up unless MIGRATE_ON_START=false),
 * the HTTP listener and the retention schedule. SIGTERM or SIGINT: /readyz turns 503, in-flight requests finish,
 * the schedule stops, the pool closes, exit 0. What a user can fix (a bad setting, a port in use, a data
 * directory held by another process) ends the process with one line naming it and exit code 1.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL, base: { service: "datastorage" } });
  // Before the database: a port in use is found in a moment, not after PGlite has started and migrated.
  await assertPortFree(config.HOST, config.PORT);
  const database = await openDatabase(config, logger);
  if (config.MIGRATE_ON_START) await database.migrate();
  // This month's audit_events partition and the next three, before the first write asks (the write path keeps
  // them so afterwards). A database not yet migrated has no partitions to keep: /readyz says why.
  await ensureMonthPartitions(database, new Date()).catch((err: unknown) =>
    logger.warn({ err }, "audit_events partitions not checked at start-up"),
  );

  const checkpointSigner = await loadCheckpointSigner(config, logger);
  await checkPublishDir(config);
  const metrics = createServiceMetrics();
  collectProcessMetrics(metrics.registry, { runtimeInfo: config.METRICS_RUNTIME_INFO });
  const lifecycle = { shuttingDown: false };
  const deps: AppDeps = {
    db: database.db,
    writer: createAuditWriter(database, config, metrics),
    database: databaseProbe(database),
    config,
    logger,
    metrics,
    clock: () => new Date(),
    embedder: createEmbedder(config),
    lifecycle,
    checkpointSigner,
  };
  const app = createApp(deps);
  const stopRetention = config.RETENTION_ENABLED ? startRetentionSchedule(deps) : async () => {};
  const stopSealer = startSealer(deps, checkpointSigner);
  const server = serve(
    {
      fetch: app.fetch,
      port: config.PORT,
      hostname: config.HOST,
      // A client that sends its headers or body slowly (slowloris) is cut off with 408 instead of holding a socket.
      serverOptions: {
        requestTimeout: config.HTTP_REQUEST_TIMEOUT,
        headersTimeout: config.HTTP_HEADERS_TIMEOUT,
        connectionsCheckingInterval: Math.min(1_000, config.HTTP_HEADERS_TIMEOUT),
      },
    },
    (info) => logger.info({ host: info.address, port: info.port, auth: config.AUTH_MODE }, "listening"),
  ) as Server;
  server.keepAliveTimeout = config.HTTP_KEEPALIVE_TIMEOUT;
  // Taken between the check above and now: the same single line.
  server.once("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    exitWith(new PortInUseError(config.HOST, config.PORT).message);
  });

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
    await stopSealer();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void shutdown(signal));
  }
}

/** Throws PortInUseError when nothing can listen on host:port now. Port 0 (any free port) always passes. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function exitWith(line: string): never {
  process.stderr.write(`datastorage: ${line}\n`);
  process.exit(1);
}

main().catch((err: unknown) => exitWith(exitMessage(err)));
