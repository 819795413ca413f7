import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadCheckpointSigner } from "./audit-log/signing-key.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./database.js";
import { exitMessage } from "./exit.js";
import { createServiceMetrics } from "./metrics.js";
import { type RetentionOutcome, runRetention } from "./retention/run.js";

const USAGE = `usage: retention [--dry-run] [--days N] [--batch-size N]
  --dry-run         print what would move (rows per table and the cutoff); move nothing
  --days N          archive terminal rows created more than N days ago (default RETENTION_DAYS, 90)
  --batch-size N    rows per transaction (default RETENTION_BATCH_SIZE, 1000)`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value))
    throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return Number(value);
}

/**
 * `pnpm --filter @kubernaut/datastorage retention [--dry-run] [--days N]`: one retention run, with a line per
 * committed batch. Exits 0 when the run completed, 1 when it failed or another run holds the lock, 2 on
 * bad arguments. With the embedded database, stop the service first: one process at a time opens DATA_DIR.
 */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "dry-run": { type: "boolean", default: false },
      days: { type: "string" },
      "batch-size": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const days = positiveInt("days", values.days, config.RETENTION_DAYS);
  const batchSize = positiveInt("batch-size", values["batch-size"], config.RETENTION_BATCH_SIZE);
  const dryRun = values["dry-run"];
  const logger = pino({ level: "warn", base: { service: "datastorage-retention" } }, pino.destination(2));
  const database = await openDatabase(config, logger);
  try {
    // What it deletes from audit_events is signed with the log's key, as the service signs its checkpoints.
    const signer =
      config.RETENTION_AUDIT_EVENTS_DAYS === undefined
        ? undefined
        : await loadCheckpointSigner(config, logger);
    const outcome = await runRetention(
      {
        db: database.db,
        logger,
        metrics: createServiceMetrics(),
        clock: () => new Date(),
        ...(signer === undefined ? {} : { checkpointSigner: signer }),
      },
      {
        trigger: "cli",
        dryRun,
        days,
        batchSize,
        eventDays: config.RETENTION_AUDIT_EVENTS_DAYS,
        lockTimeoutMs: config.RETENTION_LOCK_TIMEOUT,
        onBatch: (p) => print(`${p.table}: batch ${p.batch} moved ${p.moved} (${p.total} so far)`),
      },
    );
    report(outcome, { dryRun, days });
    return outcome.status === "completed" ? 0 : 1;
  } finally {
    await database.close();
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function report(outcome: RetentionOutcome, options: { dryRun: boolean; days: number }): void {
  const cutoff = `cutoff ${outcome.cutoff.toISOString()} (${options.days} days)`;
  if (outcome.status === "skipped") {
    print(`retention: another run holds the lock; nothing done (${cutoff})`);
    return;
  }
  const counts = Object.entries(outcome.moved).map(([table, n]) => {
    const held = outcome.held[table] ?? 0;
    return `  ${table}: ${n}${held > 0 ? ` (${held} kept under legal hold)` : ""}`;
  });
  const verb = options.dryRun ? "would move" : "moved";
  print(`retention${options.dryRun ? " (dry run)" : ""}: ${cutoff}, ${verb}:\n${counts.join("\n")}`);
  if (outcome.status === "failed") print(`retention failed: ${outcome.error ?? "unknown error"}`);
  print(`run ${outcome.runId ?? "-"} ${outcome.status}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`retention: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`retention: ${exitMessage(err)}\n`);
    process.exit(1);
  },
);
