import { type ClassifiedDatabaseError, isTransientDatabaseError, retryTransient } from "@kubernaut/db";
import type { AuditRecord } from "@kubernaut/schema";
import type { AuditWrite } from "./events.js";
import { executeWrites, outcomeOf, prepareWrites, type WriteOutcome, type WriteTarget } from "./store.js";

export interface GroupCommitOptions {
  /** Statements under way at once; a request that finds them all busy waits for the next shared one. */
  maxInFlight: number;
  /** The most records one shared statement carries (a single request may be this large on its own). */
  maxRecords: number;
  /**
   * The most records waiting for a statement. A request that would go beyond is refused at once
   * (`WriteQueueFull`, answered 429 with `Retry-After`) instead of queueing without bound; a request finding
   * nothing waiting is always taken, however large. Default: no bound.
   */
  maxQueuedRecords?: number;
  /** Told of each statement retried after a transient failure (a deadlock, a lost connection), for a metric. */
  onRetry?: (error: ClassifiedDatabaseError) => void;
  /**
   * Run before each statement with the time of receipt its rows carry: `monthPartitionKeeper`, which makes
   * sure that month's partitions exist.
   */
  beforeStatement?: (receivedAt: Date) => Promise<void>;
}

/** The write queue is full: the request was refused whole, nothing of it stored; try again after a moment. */
export class WriteQueueFull extends Error {
  constructor(
    readonly queued: number,
    readonly limit: number,
  ) {
    super(`${queued} records are waiting to be written (at most ${limit}); retry later`);
    this.name = "WriteQueueFull";
  }
}

interface Waiting {
  writes: AuditWrite[];
  receivedAt: Date;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * Stores the audit records of concurrent requests, sharing statements under load (group commit). While fewer
 * than `maxInFlight` statements run, a request goes at once, alone; once all are busy, requests wait, and each
 * statement that ends takes those waiting (up to `maxRecords` records) as one. A single write's cost is mostly
 * per statement (round trip, planning, WAL flush), so under load this turns many small statements into few
 * larger ones, and idle it adds no delay.
 *
 * Each request still gets its own outcome, the one it would have had stored alone after the requests ahead of
 * it: an `event_id` carried by two of them is new for the first only. A statement that fails for a moment (a
 * deadlock, a dropped connection) is retried as it is, a few times with jittered backoff; if it still fails, every
 * request of the group gets that failure (a 503), since splitting would only send more statements to a database
 * in trouble. The shared statement is atomic; if it fails otherwise (a value the database refuses), the group is
 * split in halves and each tried again, so that one request's failure is never another's and costs the others a
 * few statements (about 2·log2 of the group per failing request), not one each.
 */
export class GroupCommitWriter {
  private readonly waiting: Waiting[] = [];
  /** Records in `waiting`. */
  private queued = 0;
  private inFlight = 0;

  constructor(
    private readonly target: WriteTarget,
    private readonly options: GroupCommitOptions,
  ) {
    if (options.maxInFlight < 1 || options.maxRecords < 1)
      throw new Error("maxInFlight and maxRecords must be at least 1");
  }

  /** Whether writes are under way or waiting: background work (the sealer) yields to them. */
  get busy(): boolean {
    return this.inFlight > 0 || this.waiting.length > 0;
  }

  /** Stores one request's validated records; resolves once they are committed. */
  store(records: readonly AuditRecord[], receivedAt: Date): Promise<WriteOutcome> {
    const limit = this.options.maxQueuedRecords ?? Infinity;
    if (this.queued > 0 && this.queued + records.length > limit) {
      return Promise.reject(new WriteQueueFull(this.queued, limit));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ writes: prepareWrites(records, receivedAt), receivedAt, resolve, reject });
      this.queued += records.length;
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  /** The oldest waiting requests, in order, up to `maxRecords` records (at least one request). */
  private takeGroup(): Waiting[] {
    let records = 0;
    let count = 0;
    for (const request of this.waiting) {
      if (count > 0 && records + request.writes.length > this.options.maxRecords) break;
      records += request.writes.length;
      count++;
    }
    this.queued -= records;
    return this.waiting.splice(0, count);
  }

  private async run(group: Waiting[]): Promise<void> {
    let newIds: Set<string>;
    try {
      // The shared rows carry the latest time of receipt among them.
      const receivedAt = new Date(Math.max(...group.map((request) => request.receivedAt.getTime())));
      const writes = group.flatMap((request) => request.writes);
      await this.options.beforeStatement?.(receivedAt);
      newIds = await retryTransient(() => executeWrites(this.target, writes, receivedAt), {
        ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
      });
    } catch (error) {
      if (group.length === 1 || isTransientDatabaseError(error)) {
        for (const request of group) request.reject(error);
        return;
      }
      const half = Math.ceil(group.length / 2);
      await this.run(group.slice(0, half));
      await this.run(group.slice(half));
      return;
    }
    const claimed = new Set<string>();
    for (const request of group) request.resolve(outcomeOf(request.writes, newIds, claimed));
  }
}
