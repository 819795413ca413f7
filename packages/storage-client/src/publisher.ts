import { randomUUID } from "node:crypto";
import type { FieldError } from "@kubernaut/schema";
import type { AuditRecordInput } from "./client.js";
import { Delivery, type DeliveryContext, type Item } from "./delivery.js";
import { StorageApiError } from "./errors.js";
import type { DropReason } from "./metrics.js";
import {
  type AuditPublisherOptions,
  type ResolvedPublisherOptions,
  resolvePublisherOptions,
} from "./publisher-options.js";
import { identityOf, type RecordIdentity } from "./record-identity.js";
import { RingBuffer } from "./ring-buffer.js";
import { Spool } from "./spool.js";

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

export interface PublisherStats {
  published: number;
  sent: number;
  rejected: number;
  dropped: number;
  /** Records that overflowed the buffer into the spool. */
  spooled: number;
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
  private spool: Spool | undefined;
  private readonly segmentMaxRecords: number;

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
  private replaying = false;
  private state: "open" | "closing" | "closed" = "open";
  private readonly halted = new AbortController();
  private readonly sleepers = new Set<() => void>();
  private flushWaiters: { target: number; resolve: (result: FlushResult) => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  private unansweredSince: number | undefined;
  private closing: Promise<CloseResult> | undefined;
  private readonly counts = { published: 0, sent: 0, rejected: 0, dropped: 0, spooled: 0 };

  constructor(options: AuditPublisherOptions) {
    this.options = resolvePublisherOptions(options);
    const { capacity, maxBatchRecords, spoolDir } = this.options;
    this.buffer = new RingBuffer(capacity);
    this.batchSize = maxBatchRecords;
    this.segmentMaxRecords = Math.max(1, Math.min(1_000, Math.floor(capacity / 2)));
    this.deliveryContext = {
      ...this.options,
      halted: this.halted.signal,
      sleep: (ms) => this.sleep(ms),
      attempted: (answered, retrying) => {
        this.noteAnswer(answered);
        if (retrying) this.failFlushes();
      },
      delivered: (items) => {
        this.counts.sent += items.length;
        for (const item of items) this.settle(item);
      },
      rejected: (item, error, errors) => this.reject(item, error, errors),
    };
    if (spoolDir !== undefined) this.openSpool(spoolDir);
  }

  /**
   * Queues a record for delivery and returns at once; never throws. Returns false if the record was
   * dropped (publisher closed, buffer full under `drop-new` without a spool, or not serialisable).
   */
  publish(record: AuditRecordInput): boolean {
    try {
      const stamped = record.event_id ? record : { ...record, event_id: randomUUID() };
      const item: Item = { json: JSON.stringify(stamped), seq: 0, segment: undefined, settled: false };
      if (this.state !== "open") {
        this.drop(item, "shutdown", "audit record published after close; dropped");
        return false;
      }
      this.counts.published++;
      return this.enqueue(item);
    } catch (error) {
      this.countDrop("rejected");
      this.options.logger.error(
        { err: error, kind: record?.kind },
        "audit record cannot be serialised; dropped",
      );
      return false;
    }
  }

  /** Sends everything buffered now; resolves when it is delivered, or at the first failed attempt. */
  flush(): Promise<FlushResult> {
    if (this.oldestUnsettled() === Number.POSITIVE_INFINITY || this.state === "closed") {
      return Promise.resolve({ ok: this.pending() === 0, pending: this.pending() });
    }
    const target = this.seq;
    return new Promise((resolve) => {
      this.flushWaiters.push({ target, resolve });
      this.startFlush();
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
    const since = this.unansweredSince;
    return since === undefined || this.options.now() - since < this.options.readinessWindowMs;
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
    this.updatePending();
    return true;
  }

  /** A record that does not fit in memory goes to the spool, or is dropped without one. */
  private overflow(item: Item): boolean {
    const spool = this.spool;
    if (!spool) {
      this.drop(item, "buffer_full", "audit buffer full; record dropped");
      return false;
    }
    const previous = item.segment;
    this.counts.spooled++;
    spool.append([item.json], false).then(
      () => {
        if (previous) spool.settle(previous);
        this.updatePending();
      },
      (error: unknown) => {
        this.counts.spooled--;
        this.options.logger.error({ err: error }, "cannot write to the audit spool");
        this.drop(item, "buffer_full", "audit buffer full and spool unwritable; record dropped");
      },
    );
    return true;
  }

  private armFlushTimer(): void {
    if (this.flushTimer || this.flushDue || this.state !== "open" || this.buffer.size === 0) return;
    this.flushTimer = setTimeout(() => this.startFlush(), this.options.flushIntervalMs);
    this.flushTimer.unref();
  }

  private startFlush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushDue = true;
    this.wakeSleepers();
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
        this.noteAnswer(true);
        this.batchSize = Math.min(this.options.maxBatchRecords, limits.max_batch_records);
      },
      (error: unknown) => {
        this.limits = undefined;
        this.limitsRetryAt = this.options.now() + 60_000;
        this.noteAnswer(error instanceof StorageApiError);
        this.options.logger.warn(
          { err: error, batchSize: this.batchSize },
          "cannot read the storage service's limits; using the configured batch size",
        );
      },
    );
    return this.limits;
  }

  private noteAnswer(answered: boolean): void {
    if (answered) this.unansweredSince = undefined;
    else this.unansweredSince ??= this.options.now();
  }

  private settle(item: Item): void {
    item.settled = true;
    if (item.segment) this.spool?.settle(item.segment);
  }

  private reject(item: Item, error: StorageApiError, errors: readonly FieldError[]): void {
    this.counts.rejected++;
    this.countDrop("rejected");
    this.settle(item);
    this.options.logger.error(
      { ...identityOfItem(item), status: error.status, title: error.title, detail: error.detail, errors },
      "audit record rejected by the storage service; dropped",
    );
  }

  private drop(item: Item, reason: DropReason, message: string): void {
    this.countDrop(reason);
    this.settle(item);
    this.options.logger.warn({ ...identityOfItem(item), reason }, message);
  }

  private countDrop(reason: DropReason): void {
    this.counts.dropped++;
    this.options.metrics?.dropped.inc({ reason });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private pending(): number {
    let inFlight = 0;
    for (const delivery of this.deliveries) inFlight += delivery.size;
    return this.buffer.size + inFlight + this.stranded.length + (this.spool?.backlog() ?? 0);
  }

  private updatePending(): void {
    this.options.metrics?.pending.set(this.pending());
  }

  /** The sequence number of the oldest record in memory not yet delivered or rejected. */
  private oldestUnsettled(): number {
    let oldest = this.buffer.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const delivery of this.deliveries) oldest = Math.min(oldest, delivery.parts[0]?.[0]?.seq ?? oldest);
    return oldest;
  }

  /** Called whenever records were settled: wakes flush and close waiters, refills from the spool. */
  private settled(): void {
    this.updatePending();
    const oldest = this.oldestUnsettled();
    const done = this.flushWaiters.filter((w) => w.target < oldest);
    this.flushWaiters = this.flushWaiters.filter((w) => w.target >= oldest);
    for (const waiter of done) waiter.resolve({ ok: true, pending: this.pending() });
    if (this.workers === 0 && (this.buffer.size === 0 || this.halted.signal.aborted)) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.replayFromSpool();
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
      await this.spoolInMemory();
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.wakeSleepers();
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
    let spooled = 0;
    if (this.spool) {
      await this.spool.close().catch((error: unknown) => {
        this.options.logger.error({ err: error }, "cannot close the audit spool");
      });
      spooled = this.spool.unsettled();
    }
    this.state = "closed";
    const result = { sent: this.counts.sent - sentBefore, unsent: lost.length + spooled, spooled };
    this.options.metrics?.pending.set(spooled);
    this.options.logger.info(result, "audit publisher closed");
    return result;
  }

  /** Ends delivery: aborts the request in flight and every backoff, releases all waiters. */
  private halt(): void {
    if (this.halted.signal.aborted) return;
    this.halted.abort(new Error("audit publisher closed"));
    this.wakeSleepers();
    this.failFlushes();
    this.settled();
  }

  private openSpool(dir: string): void {
    const spool = new Spool(dir, this.segmentMaxRecords, this.options.logger);
    this.spool = spool;
    spool.ready.then(
      () => this.replayFromSpool(),
      (error: unknown) => {
        this.spool = undefined;
        this.options.logger.error({ err: error, dir }, "cannot open the audit spool; continuing without it");
      },
    );
  }

  /** At close, writes every record held only in memory to the spool, before trying to deliver it. */
  private async spoolInMemory(): Promise<void> {
    const spool = this.spool;
    if (!spool) return;
    const inFlight = [...this.deliveries].flatMap((d) => d.parts.flat());
    const items = [...inFlight, ...this.buffer.toArray()].filter((i) => !i.segment && !i.settled);
    if (items.length === 0) return;
    try {
      const segments = await spool.append(
        items.map((i) => i.json),
        true,
      );
      items.forEach((item, i) => {
        const segment = segments[i];
        if (!segment) return;
        if (item.settled) spool.settle(segment);
        else item.segment = segment;
      });
      this.options.logger.info(
        { records: items.length, dir: spool.dir },
        "unsent audit records spooled at close",
      );
    } catch (error) {
      this.options.logger.error({ err: error }, "cannot spool unsent audit records at close");
    }
  }

  /** Loads the next spool segment into the buffer when there is room for it. */
  private replayFromSpool(): void {
    const spool = this.spool;
    if (!spool || this.replaying || this.state !== "open") return;
    if (this.buffer.capacity - this.buffer.size < this.segmentMaxRecords) return;
    this.replaying = true;
    void this.loadSegment(spool).then((loaded) => {
      this.replaying = false;
      if (loaded) this.replayFromSpool();
    });
  }

  private async loadSegment(spool: Spool): Promise<boolean> {
    try {
      await spool.ready;
      let segment = spool.nextSealed();
      // Records that overflowed are written to the open segment; once the buffer is empty it is sealed and loaded.
      if (!segment && spool.activeHasBacklog() && this.buffer.size === 0 && this.deliveries.size === 0) {
        await spool.seal();
        segment = spool.nextSealed();
      }
      if (!segment || this.state !== "open") return false;
      const records = await spool.load(segment);
      for (const json of records) this.enqueue({ json, seq: 0, segment, settled: false });
      this.options.logger.info(
        { records: records.length, file: segment.file },
        "replaying spooled audit records",
      );
      if (records.length > 0) this.startFlush();
      return true;
    } catch (error) {
      this.options.logger.error({ err: error }, "cannot replay the audit spool");
      return false;
    }
  }
}

/** Identity is parsed back only for the rare log line, which keeps buffered records small. */
function identityOfItem(item: Item): RecordIdentity {
  return identityOf(JSON.parse(item.json) as Record<string, unknown>);
}
