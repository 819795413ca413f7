import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { AuditRecordInput } from "./client-types.js";
import { appendDeadLetter, DEAD_LETTER_FILE } from "./dead-letter.js";
import { Delivery, type DeliveryContext, type Item } from "./delivery.js";
import { StorageApiError } from "./errors.js";
import { Ledger, type PublisherCounts } from "./ledger.js";
import type { DropReason } from "./metrics.js";
import {
  type AuditPublisherOptions,
  type ResolvedPublisherOptions,
  resolvePublisherOptions,
} from "./publisher-options.js";
import { Readiness } from "./readiness.js";
import { identityOf } from "./record-identity.js";
import { RingBuffer } from "./ring-buffer.js";
import { Sleepers } from "./sleepers.js";
import { SpoolBridge } from "./spool-bridge.js";

export interface FlushResult {
  /** True if every record buffered when `flush()` was called has been delivered (or rejected). */
  ok: boolean;
  pending: number;
}

export interface CloseResult {
  /** Records the service acknowledged while closing. */
  sent: number;
  /** Records not delivered: `spooled` of them wait in the spool for the next start, the rest are lost. */
  unsent: number;
  spooled: number;
}

export interface PublisherStats extends PublisherCounts {
  /** Records buffered, in flight, or spooled and not yet read back. */
  pending: number;
}

/**
 * Publishes audit records without ever blocking or failing the caller: `publish()` stamps an `event_id`,
 * serialises the record into a bounded buffer and returns. Batches go to `POST /api/v1/audit/batch` when full
 * or every flush interval, and transient failures are retried with backoff; the `event_id` makes every retry
 * a no-op on the service.
 */
export class AuditPublisher {
  private readonly options: ResolvedPublisherOptions;
  private readonly buffer: RingBuffer<Item>;
  private readonly deliveryContext: DeliveryContext;
  private readonly spool: SpoolBridge | undefined;

  private batchSize: number;
  private limits: Promise<void> | undefined;
  private limitsRetryAt = 0;
  private seq = 0;
  private workers = 0;
  private readonly deliveries = new Set<Delivery>();
  private readonly stranded: Item[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushDue = false;
  private kickScheduled = false;
  private state: "open" | "closing" | "closed" = "open";
  private readonly halted = new AbortController();
  private readonly sleepers = new Sleepers();
  private flushWaiters: { target: number; resolve: (result: FlushResult) => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly readiness: Readiness;
  private closing: Promise<CloseResult> | undefined;
  private readonly ledger: Ledger;
  /** Where records the service cannot store go, beside the spool; none without a spool. */
  private readonly deadLetterFile: string | undefined;
  private readonly counts: PublisherCounts;

  constructor(options: AuditPublisherOptions) {
    this.options = resolvePublisherOptions(options);
    const { capacity, maxBatchRecords, spoolDir } = this.options;
    this.buffer = new RingBuffer(capacity);
    this.ledger = new Ledger(this.options.metrics, this.options.logger, this.options.now);
    this.counts = this.ledger.counts;
    this.readiness = new Readiness(this.options.readinessWindowMs, this.options.now);
    this.batchSize = maxBatchRecords;
    this.options.metrics?.trackPending(() => this.pending());
    this.deliveryContext = {
      ...this.options,
      halted: this.halted.signal,
      sleep: (ms) => this.sleepers.sleep(ms),
      attempted: (answered, retrying) => {
        this.readiness.record(answered);
        if (retrying) this.failFlushes();
      },
      delivered: (items) => {
        this.counts.sent += items.length;
        for (const item of items) this.settle(item);
      },
      rejected: (item, error, errors) => {
        this.settle(item);
        this.ledger.rejected(item, error, errors);
      },
      deadLettered: (item, error) => {
        let file = this.deadLetterFile;
        try {
          if (file) appendDeadLetter(file, item, error, this.options.now());
        } catch (writeError) {
          this.options.logger.error({ err: writeError, file }, "cannot write the dead-letter file");
          file = undefined;
        }
        this.settle(item);
        this.ledger.deadLettered(item, error, file);
      },
    };
    this.deadLetterFile = spoolDir === undefined ? undefined : join(spoolDir, DEAD_LETTER_FILE);
    if (spoolDir !== undefined) {
      const segmentMaxRecords = Math.max(1, Math.min(1_000, Math.floor(capacity / 2)));
      this.spool = new SpoolBridge(spoolDir, segmentMaxRecords, this.options.logger, {
        replayed: (items) => this.replayed(items),
        lost: (item) => {
          this.counts.spooled--;
          this.drop(item, "buffer_full", "audit buffer full and spool unwritable; record dropped");
        },
        changed: () => this.refillFromSpool(),
      });
      this.refillFromSpool();
    }
  }

  /**
   * Queues a record for delivery and returns at once; never throws. Returns false if the record was
   * dropped (publisher closed, buffer full under `drop-new` without a spool, or not serialisable).
   */
  publish(record: AuditRecordInput): boolean {
    try {
      const stamped = record.event_id ? record : { ...record, event_id: randomUUID() };
      const item: Item = {
        json: JSON.stringify(stamped),
        identity: identityOf(stamped),
        seq: 0,
        segment: undefined,
        settled: false,
      };
      if (this.state !== "open") {
        this.drop(item, "shutdown", "audit record published after close; dropped");
        return false;
      }
      this.counts.published++;
      return this.enqueue(item);
    } catch (error) {
      this.ledger.unserialisable(record?.kind, error);
      return false;
    }
  }

  /** Sends everything buffered now; resolves when it is delivered, or at the first failed attempt. */
  flush(): Promise<FlushResult> {
    if (this.oldestUnsettled() === Number.POSITIVE_INFINITY) {
      return Promise.resolve({ ok: true, pending: this.pending() });
    }
    const target = this.seq;
    return new Promise((resolve) => {
      this.flushWaiters.push({ target, resolve });
      this.startFlush(true);
    });
  }

  /**
   * Stops accepting records and drains them. With a spool, everything unsent is written to disk first, so
   * that a kill during the drain loses nothing; delivery then goes on until done or `timeoutMs` passes.
   */
  close(timeoutMs = 10_000): Promise<CloseResult> {
    this.closing ??= this.shutdown(timeoutMs);
    return this.closing;
  }

  /** False once the service has not answered any request for `readinessWindowMs`; true while idle. */
  ready(): boolean {
    return this.readiness.ready();
  }

  stats(): PublisherStats {
    return { ...this.counts, pending: this.pending() };
  }

  private enqueue(item: Item): boolean {
    item.seq = ++this.seq;
    let displaced: Item | undefined;
    if (this.buffer.full) {
      if (this.options.overflow === "drop-new") return this.overflow(item);
      displaced = this.buffer.shift();
    }
    this.buffer.push(item);
    if (displaced) this.overflow(displaced);
    if (this.buffer.size >= this.batchSize) this.scheduleKick();
    else this.armFlushTimer();
    return true;
  }

  /** A record that does not fit in memory goes to the spool, or is dropped without one. */
  private overflow(item: Item): boolean {
    if (this.spool?.overflow(item)) {
      this.counts.spooled++;
      return true;
    }
    this.drop(item, "buffer_full", "audit buffer full; record dropped");
    return false;
  }

  private armFlushTimer(): void {
    if (this.flushTimer || this.flushDue || this.state !== "open" || this.buffer.size === 0) return;
    this.flushTimer = setTimeout(() => this.startFlush(), this.options.flushIntervalMs);
    this.flushTimer.unref();
  }

  /**
   * Sends everything buffered. Only an explicit `flush()` cuts a retry's backoff short: the interval timer
   * must not turn an outage's exponential backoff into one retry per interval.
   */
  private startFlush(wakeRetries = false): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushDue = true;
    if (wakeRetries) this.sleepers.wakeAll();
    this.kick();
  }

  /** Sending starts on a later turn, so `publish()` never pays for serialising a batch. */
  private scheduleKick(): void {
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      this.kick();
    });
  }

  private kick(): void {
    while (this.workers < this.options.concurrency && this.hasWork()) {
      this.workers++;
      void this.work();
    }
  }

  private hasWork(): boolean {
    const n = this.buffer.size;
    if (n === 0 || this.halted.signal.aborted) return false;
    return n >= this.batchSize || this.flushDue || this.state === "closing";
  }

  private async work(): Promise<void> {
    try {
      await this.readLimits();
      while (this.hasWork()) {
        const delivery = new Delivery(this.buffer.take(this.batchSize), this.deliveryContext);
        if (this.buffer.size === 0) this.flushDue = false;
        this.deliveries.add(delivery);
        try {
          await delivery.run();
        } finally {
          this.deliveries.delete(delivery);
          for (const part of delivery.parts) this.stranded.push(...part);
          this.settled();
        }
      }
    } catch (error) {
      this.options.logger.error({ err: error }, "audit delivery loop failed");
    } finally {
      this.workers--;
      this.armFlushTimer();
      this.settled();
    }
  }

  /** Sizes batches by the service's limit, read once; until it answers, the configured size is used. */
  private readLimits(): Promise<void> {
    if (this.limits || this.options.now() < this.limitsRetryAt) return this.limits ?? Promise.resolve();
    this.limits = this.options.client.limits({ signal: this.halted.signal }).then(
      (limits) => {
        this.readiness.record(true);
        this.batchSize = Math.min(this.options.maxBatchRecords, limits.max_batch_records);
      },
      (error: unknown) => {
        this.limits = undefined;
        this.limitsRetryAt = this.options.now() + 60_000;
        this.readiness.record(error instanceof StorageApiError);
        this.options.logger.warn(
          { err: error, batchSize: this.batchSize },
          "cannot read the storage service's limits; using the configured batch size",
        );
      },
    );
    return this.limits;
  }

  private settle(item: Item): void {
    item.settled = true;
    if (item.segment) this.spool?.settle(item.segment);
  }

  private drop(item: Item, reason: DropReason, message: string): void {
    this.settle(item);
    this.ledger.dropped(item, reason, message);
  }

  private pending(): number {
    let inFlight = 0;
    for (const delivery of this.deliveries) inFlight += delivery.size;
    return this.buffer.size + inFlight + this.stranded.length + (this.spool?.backlog() ?? 0);
  }

  /** The sequence number of the oldest record in memory not yet delivered or rejected. */
  private oldestUnsettled(): number {
    let oldest = this.buffer.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const delivery of this.deliveries) oldest = Math.min(oldest, delivery.parts[0]?.[0]?.seq ?? oldest);
    return oldest;
  }

  /** Called whenever records were settled: wakes flush and close waiters, refills from the spool. */
  private settled(): void {
    const oldest = this.oldestUnsettled();
    const done = this.flushWaiters.filter((w) => w.target < oldest);
    this.flushWaiters = this.flushWaiters.filter((w) => w.target >= oldest);
    for (const waiter of done) waiter.resolve({ ok: true, pending: this.pending() });
    if (this.workers === 0 && (this.buffer.size === 0 || this.halted.signal.aborted)) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.refillFromSpool();
  }

  private failFlushes(): void {
    for (const waiter of this.flushWaiters.splice(0)) waiter.resolve({ ok: false, pending: this.pending() });
  }

  private async shutdown(timeoutMs: number): Promise<CloseResult> {
    this.state = "closing";
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const sentBefore = this.counts.sent;
    const deadline = setTimeout(() => this.halt(), timeoutMs);
    try {
      const inFlight = [...this.deliveries].flatMap((d) => d.parts.flat());
      await this.spool?.persist([...inFlight, ...this.buffer.toArray()]);
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.sleepers.wakeAll();
      this.kick();
      this.settled();
      await idle;
    } finally {
      clearTimeout(deadline);
      this.halt();
    }
    const unsent = [...this.buffer.drain(), ...this.stranded.splice(0)].filter((item) => !item.settled);
    const lost = unsent.filter((item) => !item.segment);
    for (const item of lost) this.drop(item, "shutdown", "audit record not delivered before close; lost");
    this.ledger.reportDrops();
    const spooled = (await this.spool?.close()) ?? 0;
    this.state = "closed";
    const result = { sent: this.counts.sent - sentBefore, unsent: lost.length + spooled, spooled };
    this.options.logger.info(result, "audit publisher closed");
    return result;
  }

  /** Ends delivery: aborts the request in flight and every backoff, releases all waiters. */
  private halt(): void {
    if (this.halted.signal.aborted) return;
    this.halted.abort(new Error("audit publisher closed"));
    this.sleepers.wakeAll();
    this.failFlushes();
    this.settled();
  }

  private refillFromSpool(): void {
    if (this.state !== "open") return;
    this.spool?.refill(
      this.buffer.capacity - this.buffer.size,
      () => this.buffer.size === 0 && this.deliveries.size === 0,
    );
  }

  /** Spooled records back in memory; after close has begun they stay on disk for the next start. */
  private replayed(items: Item[]): void {
    if (this.state !== "open") return;
    for (const item of items) this.enqueue(item);
    if (items.length > 0) this.startFlush();
  }
}
