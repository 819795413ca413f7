import type { BackoffOptions } from "@kubernaut/common";
import type { AuditTransport } from "./client.js";
import { consoleJsonLogger, type Logger } from "./logger.js";
import type { AuditMetrics } from "./metrics.js";

export type OverflowPolicy = "drop-oldest" | "drop-new";

export interface AuditPublisherOptions {
  client: AuditTransport;
  metrics?: AuditMetrics;
  /** Defaults to JSON lines on stderr at level warn. */
  logger?: Logger;
  /** Records held in memory. Default 10,000. */
  capacity?: number;
  /** Which record gives way when the buffer is full. Default `drop-oldest`. */
  overflow?: OverflowPolicy;
  /** Largest batch; the service's `max_batch_records` lowers it. Default 1,000. */
  maxBatchRecords?: number;
  /** Longest a record waits for its batch to fill. Default 1 s. */
  flushIntervalMs?: number;
  /** Batches in flight at once. Default 1, which keeps records in order. */
  concurrency?: number;
  /** Retry backoff. Default base 100 ms, cap 30 s. */
  backoff?: Partial<BackoffOptions>;
  /** `ready()` turns false once the service has not answered for this long. Default 30 s. */
  readinessWindowMs?: number;
  /** Directory of the durable spool for records that overflow or are unsent at `close()`. */
  spoolDir?: string;
  /** The clock of the readiness window (tests inject one). Default `Date.now`. */
  now?: () => number;
  /** The jitter source, in [0, 1) (tests inject one). Default `Math.random`. */
  random?: () => number;
}

export type ResolvedPublisherOptions = Required<
  Omit<AuditPublisherOptions, "metrics" | "spoolDir" | "backoff">
> & {
  metrics: AuditMetrics | undefined;
  spoolDir: string | undefined;
  backoff: BackoffOptions;
};

/** Applies the defaults and refuses nonsense with a message naming the option. */
export function resolvePublisherOptions(options: AuditPublisherOptions): ResolvedPublisherOptions {
  if (!options.client) throw new TypeError("client is required");
  const overflow = options.overflow ?? "drop-oldest";
  if (overflow !== "drop-oldest" && overflow !== "drop-new") {
    throw new RangeError(`overflow must be "drop-oldest" or "drop-new", got ${JSON.stringify(overflow)}`);
  }
  return {
    client: options.client,
    metrics: options.metrics,
    logger: options.logger ?? consoleJsonLogger(),
    capacity: positiveInt("capacity", options.capacity ?? 10_000),
    overflow,
    maxBatchRecords: positiveInt("maxBatchRecords", options.maxBatchRecords ?? 1_000),
    flushIntervalMs: positiveInt("flushIntervalMs", options.flushIntervalMs ?? 1_000),
    concurrency: positiveInt("concurrency", options.concurrency ?? 1),
    backoff: {
      baseMs: positiveInt("backoff.baseMs", options.backoff?.baseMs ?? 100),
      capMs: positiveInt("backoff.capMs", options.backoff?.capMs ?? 30_000),
    },
    readinessWindowMs: positiveInt("readinessWindowMs", options.readinessWindowMs ?? 30_000),
    spoolDir: options.spoolDir,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
