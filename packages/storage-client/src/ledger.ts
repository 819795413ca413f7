import type { FieldError } from "@kubernaut/schema/contracts";
import type { Item } from "./delivery.js";
import type { StorageApiError } from "./errors.js";
import type { Logger } from "./logger.js";
import { type AuditMetrics, DROP_REASONS, type DropReason } from "./metrics.js";

export interface PublisherCounts {
  published: number;
  sent: number;
  rejected: number;
  dropped: number;
  /** Records that overflowed the buffer into the spool. */
  spooled: number;
}

/** How often drops of one reason are reported, after the first ones, which are logged at once. */
export const DROP_REPORT_INTERVAL_MS = 10_000;
/**
 * Rejected records logged one by one per interval, each with the service's field errors, before the rest are only
 * counted: enough to see what is wrong, never a line per record when a whole trail is refused.
 */
export const REJECTIONS_LOGGED_PER_INTERVAL = 10;

type Level = "warn" | "error";

/**
 * What became of the records: the publisher's counts, the drop metric, and log lines naming the records that will
 * never reach the service (kind, event id, remediation, fingerprint) so they can be traced. A dead-lettered record
 * is rare and always logged. Drops come in floods (a full buffer under an outage, a shutdown, a service refusing
 * every record after an upgrade), so per reason only the first of an interval (the first 10 rejected ones) is
 * logged on its own; the others are counted and reported in one line per `DROP_REPORT_INTERVAL_MS`.
 */
export class Ledger {
  readonly counts: PublisherCounts = { published: 0, sent: 0, rejected: 0, dropped: 0, spooled: 0 };
  /** The labelled counters, bound once: a drop under overload must stay cheap. */
  private readonly droppedBy: Partial<Record<DropReason, { inc(): void }>> = {};
  /** Drops not reported yet, per reason, with the first of them and the timer that will report them. */
  private readonly unreported = new Map<
    DropReason,
    { count: number; message: string; level: Level; first: Item["identity"]; timer: NodeJS.Timeout }
  >();
  /** Per reason, when the current interval began and how many drops were logged on their own in it. */
  private readonly intervals = new Map<DropReason, { start: number; logged: number }>();

  constructor(
    metrics: AuditMetrics | undefined,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    for (const reason of DROP_REASONS) {
      if (metrics) this.droppedBy[reason] = metrics.dropped.labels({ reason });
    }
  }

  rejected(item: Item, error: StorageApiError, errors: readonly FieldError[]): void {
    this.counts.rejected++;
    this.countDrop("rejected");
    const message = "audit record rejected by the storage service; dropped";
    this.logThrottled("rejected", REJECTIONS_LOGGED_PER_INTERVAL, item, "error", message, {
      ...item.identity,
      status: error.status,
      title: error.title,
      detail: error.detail,
      errors,
    });
  }

  /** A record the service kept answering 500 for, alone: moved aside so that the others are delivered. */
  deadLettered(item: Item, error: unknown, file: string | undefined): void {
    this.countDrop("dead_letter");
    this.logger.error(
      { ...item.identity, err: error, ...(file ? { file } : {}) },
      file
        ? "audit record the storage service cannot store; moved to the dead-letter file"
        : "audit record the storage service cannot store; dropped (no spool, so no dead-letter file)",
    );
  }

  dropped(item: Item, reason: DropReason, message: string): void {
    this.countDrop(reason);
    this.logThrottled(reason, 1, item, "warn", message, { ...item.identity, reason });
  }

  /** Logs the drops counted but not reported yet (on a timer, and when the publisher closes). */
  reportDrops(): void {
    for (const reason of [...this.unreported.keys()]) this.report(reason);
  }

  /** Logs a drop on its own while fewer than `burst` were in this interval; counts it for the report otherwise. */
  private logThrottled(
    reason: DropReason,
    burst: number,
    item: Item,
    level: Level,
    message: string,
    fields: Record<string, unknown>,
  ): void {
    const pending = this.unreported.get(reason);
    if (pending) {
      pending.count++;
      return;
    }
    const now = this.now();
    const interval = this.intervals.get(reason);
    if (interval === undefined || now - interval.start >= DROP_REPORT_INTERVAL_MS) {
      this.intervals.set(reason, { start: now, logged: 1 });
      this.logger[level](fields, message);
      return;
    }
    if (interval.logged < burst) {
      interval.logged++;
      this.logger[level](fields, message);
      return;
    }
    const timer = setTimeout(() => this.report(reason), DROP_REPORT_INTERVAL_MS - (now - interval.start));
    timer.unref();
    this.unreported.set(reason, { count: 1, message, level, first: item.identity, timer });
  }

  private report(reason: DropReason): void {
    const pending = this.unreported.get(reason);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.unreported.delete(reason);
    // The report opens an interval with nothing left to log on its own: a flood goes on as one line per interval.
    this.intervals.set(reason, { start: this.now(), logged: Number.POSITIVE_INFINITY });
    this.logger[pending.level](
      { reason, dropped: pending.count, first: pending.first },
      `${pending.message} (${pending.count} more records since the last report)`,
    );
  }

  unserialisable(kind: unknown, error: unknown): void {
    this.countDrop("rejected");
    this.logger.error({ err: error, kind }, "audit record cannot be serialised; dropped");
  }

  private countDrop(reason: DropReason): void {
    this.counts.dropped++;
    this.droppedBy[reason]?.inc();
  }
}
