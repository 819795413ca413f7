import type { FieldError } from "@kubernaut/schema";
import type { Item } from "./delivery.js";
import type { StorageApiError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { AuditMetrics, DropReason } from "./metrics.js";

export interface PublisherCounts {
  published: number;
  sent: number;
  rejected: number;
  dropped: number;
  /** Records that overflowed the buffer into the spool. */
  spooled: number;
}

/**
 * What became of the records: the publisher's counts, the drop metric, and one log line per record that
 * will never reach the service, naming it (kind, event id, remediation, fingerprint) so it can be traced.
 */
export class Ledger {
  readonly counts: PublisherCounts = { published: 0, sent: 0, rejected: 0, dropped: 0, spooled: 0 };
  /** The labelled counters, bound once: a drop under overload must stay cheap. */
  private readonly droppedBy: Partial<Record<DropReason, { inc(): void }>> = {};

  constructor(
    metrics: AuditMetrics | undefined,
    private readonly logger: Logger,
  ) {
    for (const reason of ["buffer_full", "rejected", "shutdown"] satisfies DropReason[]) {
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

  dropped(item: Item, reason: DropReason, message: string): void {
    this.countDrop(reason);
    this.logger.warn({ ...item.identity, reason }, message);
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
