import { classifyDatabaseError, execute, tryWithAdvisoryLock } from "@kubernaut/db";
import { sql } from "drizzle-orm";
import type { AppDeps, Db } from "../env.js";
import { countExpiredEvents, retireExpiredEvents } from "./audit-events.js";
import { archiveMonth, countExpired, expiredMonths, moveExpiredBatch } from "./batch.js";
import { DEFAULT_LOCK_TIMEOUT_MS, LOCK_NOT_AVAILABLE, RETENTION_LOCK_KEY } from "./lock.js";
import { RETENTION_TABLES, type RetentionTable } from "./tables.js";

/** `checkpointSigner` signs what retention deletes from `audit_events` (needed only with `eventDays`). */
export type RetentionDeps = Pick<AppDeps, "db" | "logger" | "metrics" | "clock" | "checkpointSigner">;

type Executor = Pick<Db, "execute">;

export interface RetentionOptions {
  trigger: "schedule" | "cli";
  dryRun: boolean;
  /**
   * Rows created more than this many days ago are archived (when in a terminal state), a whole month at a time:
   * a row is kept at least this long, and at most one month longer.
   */
  days: number;
  batchSize: number;
  /**
   * Also delete `audit_events` records received more than this many days ago (unset: keep them for ever), a
   * whole month at a time. Only records sealed under a signed checkpoint go, and their leaves stay: see
   * `retireExpiredEvents`.
   */
  eventDays?: number | undefined;
  /** How long dropping a month partition waits for its locks before leaving it to the next run. */
  lockTimeoutMs?: number | undefined;
  /** Told after each committed batch (the CLI prints it). */
  onBatch?: (progress: BatchProgress) => void;
  /**
   * Called inside each batch's transaction, after its rows are moved and before it commits. A throw rolls
   * the batch back and fails the run; the crash tests use it.
   */
  beforeCommit?: (progress: BatchProgress) => Promise<void>;
}

export interface BatchProgress {
  table: string;
  batch: number;
  moved: number;
  /** Rows of this table moved so far in this run. */
  total: number;
}

export interface RetentionOutcome {
  /** `skipped`: another run held the lock; nothing was done or logged. */
  status: "completed" | "failed" | "skipped";
  runId: string | null;
  cutoff: Date;
  /**
   * Rows moved per table, or in a dry run the rows that would move; `audit_events`: records deleted, their leaves
   * (and so the proof of what they were) kept in the log.
   */
  moved: Record<string, number>;
  /** Expired rows per table that an active legal hold kept in place. */
  held: Record<string, number>;
  error?: string;
}

/**
 * One retention run: under the advisory lock, archives the terminal rows older than the cutoff, table by
 * table, in batches of one transaction each, and logs the run in `retention_runs` (its `moved` counts are
 * updated in each batch's own transaction, so they always equal what was committed). Rows under an active
 * legal hold stay where they are; the run records how many per table (`held`). A dry run only counts.
 */
export async function runRetention(
  deps: RetentionDeps,
  options: RetentionOptions,
): Promise<RetentionOutcome> {
  const cutoff = new Date(deps.clock().getTime() - options.days * 86_400_000);
  // The lock is held on a connection of its own; the run's statements go through the pool.
  const attempt = await tryWithAdvisoryLock(deps.db, RETENTION_LOCK_KEY, () =>
    runUnderLock(deps, options, cutoff),
  );
  if (attempt.acquired) return attempt.value;
  deps.logger.info({ trigger: options.trigger }, "retention run skipped: another run holds the lock");
  return { status: "skipped", runId: null, cutoff, moved: {}, held: {} };
}

async function runUnderLock(
  deps: RetentionDeps,
  options: RetentionOptions,
  cutoff: Date,
): Promise<RetentionOutcome> {
  const { db, logger } = deps;
  const moved: Record<string, number> = {};
  const held: Record<string, number> = {};
  let runId: string | null = null;
  try {
    // Holding the lock, any run still marked running was cut short (its process died).
    await db.execute(
      sql`UPDATE retention_runs SET status = 'interrupted', finished_at = now() WHERE status = 'running'`,
    );
    const [run] = await execute<{ id: string }>(
      db,
      sql`
        INSERT INTO retention_runs (trigger, dry_run, retention_days, cutoff, status)
        VALUES (${options.trigger}, ${options.dryRun}, ${options.days}, ${cutoff.toISOString()}::timestamptz, 'running')
        RETURNING id`,
    );
    runId = run?.id ?? null;
    if (runId === null) throw new Error("retention_runs insert returned no id");
    for (const table of RETENTION_TABLES) {
      if (options.dryRun) moved[table.name] = await countExpired(db, table, cutoff);
      else await archiveTable(deps, options, { runId, table, cutoff, moved });
      held[table.name] = await countExpired(db, table, cutoff, true);
    }
    if (options.eventDays !== undefined) {
      const eventCutoff = new Date(deps.clock().getTime() - options.eventDays * 86_400_000);
      if (options.dryRun) {
        moved.audit_events = (await countExpiredEvents(db, eventCutoff)).expired;
      } else {
        const signer = deps.checkpointSigner;
        if (signer === undefined) {
          throw new Error(
            "audit_events retention signs what it deletes with the checkpoint signing key, and none is loaded",
          );
        }
        let step = 0;
        let total = 0;
        const events = await retireExpiredEvents(db, {
          signer,
          cutoff: eventCutoff,
          batchSize: options.batchSize,
          runId,
          now: deps.clock(),
          ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
          beforeCommit: async ({ deleted }) => {
            step++;
            total += deleted;
            await options.beforeCommit?.({ table: "audit_events", batch: step, moved: deleted, total });
          },
        });
        if (events.waiting)
          logger.warn({ cutoff: eventCutoff }, `audit_events retention waits: ${events.waiting}`);
        if (events.dropped.length > 0)
          logger.info({ dropped: events.dropped, kept: events.kept }, "audit_events months dropped");
        moved.audit_events = events.deleted;
      }
      held.audit_events = (await countExpiredEvents(db, eventCutoff)).held;
    }
    await db.execute(sql`
      UPDATE retention_runs SET status = 'completed', finished_at = now(), moved = ${JSON.stringify(moved)}::jsonb,
        held = ${JSON.stringify(held)}::jsonb
      WHERE id = ${runId}`);
    logger.info(
      { trigger: options.trigger, dryRun: options.dryRun, cutoff, moved, held },
      "retention run completed",
    );
    return { status: "completed", runId, cutoff, moved, held };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    logger.error({ err, trigger: options.trigger, cutoff, moved }, "retention run failed");
    if (runId !== null) {
      await db
        .execute(
          sql`UPDATE retention_runs SET status = 'failed', finished_at = now(), error = ${error} WHERE id = ${runId}`,
        )
        .catch((logErr: unknown) =>
          logger.error({ err: logErr }, "could not record the failed retention run"),
        );
    }
    return { status: "failed", runId, cutoff, moved, held, error };
  }
}

/**
 * Archives one table's expired rows: each month partition that has ended by the cutoff whole, oldest first, one
 * transaction each (`archiveMonth`); then the rows of `<table>_held` that have expired since, batch after batch
 * until one comes back short. Each step is its own transaction and counts as a batch; `moved[table]` follows every
 * commit, so a failed run still reports what it moved. A month whose locks are not granted within the lock
 * timeout is left to the next run.
 */
async function archiveTable(
  deps: RetentionDeps,
  options: RetentionOptions,
  run: { runId: string; table: RetentionTable; cutoff: Date; moved: Record<string, number> },
): Promise<void> {
  const { runId, table, cutoff } = run;
  let total = 0;
  let batch = 0;
  run.moved[table.name] = 0;
  const step = async (work: (tx: Executor) => Promise<number>): Promise<number> => {
    batch++;
    const progress = await deps.db.transaction(async (tx) => {
      const moved = await work(tx);
      await tx.execute(sql`
        UPDATE retention_runs
        SET moved = moved || jsonb_build_object(${table.name}::text, COALESCE((moved->>${table.name}::text)::int, 0) + ${moved}::int)
        WHERE id = ${runId}`);
      const progress: BatchProgress = { table: table.name, batch, moved, total: total + moved };
      await options.beforeCommit?.(progress);
      return progress;
    });
    total = progress.total;
    run.moved[table.name] = total;
    if (progress.moved > 0) deps.metrics.retentionRowsMoved.inc({ table: table.name }, progress.moved);
    options.onBatch?.(progress);
    return progress.moved;
  };
  const lockTimeout = `${options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS}ms`;
  for (const partition of await expiredMonths(deps.db, table.name, cutoff)) {
    try {
      await step(async (tx) => {
        await tx.execute(sql`SELECT set_config('lock_timeout', ${lockTimeout}, true)`);
        return (await archiveMonth(tx, table, partition)).archived;
      });
    } catch (err) {
      if (classifyDatabaseError(err)?.code !== LOCK_NOT_AVAILABLE) throw err;
      deps.logger.warn({ partition, lockTimeout }, `${partition} was busy: left to the next retention run`);
      break;
    }
  }
  while ((await step((tx) => moveExpiredBatch(tx, table, cutoff, options.batchSize))) >= options.batchSize);
}
