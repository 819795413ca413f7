import type { AppDeps } from "../env.js";
import { runRetention } from "./run.js";

/**
 * Runs retention inside the service: once at start, then every `RETENTION_INTERVAL` after the previous run
 * ends (runs never overlap in one process; across replicas the advisory lock lets one of them work).
 * Does nothing when `RETENTION_ENABLED=false`. Answers a stop function that cancels the next run and waits
 * for the current one to finish.
 */
export function startRetentionSchedule(deps: AppDeps): () => Promise<void> {
  const { config, logger } = deps;
  if (!config.RETENTION_ENABLED) {
    logger.info("retention schedule disabled (RETENTION_ENABLED=false)");
    return async () => {};
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  const tick = () => {
    current = runRetention(deps, {
      trigger: "schedule",
      dryRun: false,
      days: config.RETENTION_DAYS,
      batchSize: config.RETENTION_BATCH_SIZE,
      eventDays: config.RETENTION_AUDIT_EVENTS_DAYS,
      lockTimeoutMs: config.RETENTION_LOCK_TIMEOUT,
    })
      .catch((err: unknown) => logger.error({ err }, "retention run failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, config.RETENTION_INTERVAL).unref();
      });
  };
  timer = setTimeout(tick, 0).unref();
  logger.info(
    {
      days: config.RETENTION_DAYS,
      intervalMs: config.RETENTION_INTERVAL,
      batchSize: config.RETENTION_BATCH_SIZE,
    },
    "retention schedule started",
  );

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
