import type { FieldError } from "@kubernaut/schema";
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

/** How often drops of one reason are reported, after the first, which is logged at once. */
export const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * What became of the records: the publisher's counts, the drop metric, and log lines naming each record that
 * will never reach the service (kind, event id, remediation, fingerprint) so it can be traced. Rejected and
 * dead-lettered records are rare and logged one by one; drops under overload (a full buffer, a shutdown) come in
 * floods, so after the first of a reason they are counted and reported once per `DROP_REPORT_INTERVAL_MS`.
 */
export class Ledger {
  readonly counts: PublisherCounts = { published: 0, sent: 0, rejected: 0, dropped: 0, spooled: 0 };
  /** The labelled counters, bound once: a drop under overload must stay cheap. */
  private readonly droppedBy: Partial<Record<DropReason, { inc(): void }>> = {};
  /** Drops not reported yet, per reason, with the first of them and the timer that will report them. */
  private readonly unreported = new Map<
    DropReason,
    { count: number; message: string; first: Item["identity"]; timer: NodeJS.Timeout }
  >();
  private readonly lastReported = new Map<DropReason, number>();

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
    this.logger.error(
      { ...item.identity, status: error.status, title: error.title, detail: error.detail, errors },
      "audit record rejected by the storage service; dropped",
    );
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
    const pending = this.unreported.get(reason);
    if (pending) {
      pending.count++;
      return;
    }
    const last = this.lastReported.get(reason);
    if (last === undefined || this.now() - last >= DROP_REPORT_INTERVAL_MS) {
      this.lastReported.set(reason, this.now());
      this.logger.warn({ ...item.identity, reason }, message);
      return;
    }
    const timer = setTimeout(() => this.report(reason), DROP_REPORT_INTERVAL_MS - (this.now() - last));
    timer.unref();
    this.unreported.set(reason, { count: 1, message, first: item.identity, timer });
  }

  /** Logs the drops counted but not reported yet (on a timer, and when the publisher closes). */
  reportDrops(): void {
    for (const reason of [...this.unreported.keys()]) this.report(reason);
  }

  private report(reason: DropReason): void {
    const pending = this.unreported.get(reason);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.unreported.delete(reason);
    this.lastReported.set(reason, this.now());
    this.logger.warn(
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
