import { performance } from "node:perf_hooks";
import { type BackoffOptions, jitteredDelay } from "@kubernaut/common";
import type { FieldError } from "@kubernaut/schema/contracts";
import type { AuditTransport } from "./client.js";
import type { StorageApiError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { AuditMetrics } from "./metrics.js";
import type { RecordIdentity } from "./record-identity.js";
import { classifyFailure, type SendOutcome } from "./send-outcome.js";
import type { SpoolSegment } from "./spool.js";

/** A buffered record, serialised at publish time so later changes by the caller cannot alter it. */
export interface Item {
  json: string;
  /** What names the record in a log line, kept so that a drop costs no parsing. */
  identity: RecordIdentity;
  /** Publication order, for `flush()`. */
  seq: number;
  /** The spool segment that also holds the record, if any. */
  segment: SpoolSegment | undefined;
  /** Delivered, rejected or dropped: nothing more to do. */
  settled: boolean;
}

export interface DeliveryContext {
  client: AuditTransport;
  metrics: AuditMetrics | undefined;
  logger: Logger;
  backoff: BackoffOptions;
  random: () => number;
  /** Aborts the request in flight; the delivery then stops, leaving its records in `parts`. */
  halted: AbortSignal;
  /** A backoff wait that `flush()` and `close()` may cut short. */
  sleep(ms: number): Promise<void>;
  /** After every send: whether the service answered at all, and whether the batch will be retried. */
  attempted(answered: boolean, retrying: boolean): void;
  delivered(items: readonly Item[]): void;
  rejected(item: Item, error: StorageApiError, errors: readonly FieldError[]): void;
  /** A record the service answered 500 for, alone, `POISON_DEAD_LETTER_AFTER` times in a row. */
  deadLettered(item: Item, error: unknown): void;
}

/** 500 answers in a row after which a batch is split in halves, to find the record the service cannot store. */
export const POISON_SPLIT_AFTER = 2;
/** 500 answers in a row for a record sent alone after which it is moved aside (the dead-letter file). */
export const POISON_DEAD_LETTER_AFTER = 3;

/**
 * A 500 is the service failing on what it was sent; 502, 503 and 504 (and no answer at all) say it is
 * unavailable, and the batch is only retried, never split or set aside, however long that lasts.
 */
function isServerFailure(outcome: SendOutcome): boolean {
  return (
    outcome.kind === "retry" && outcome.answered && (outcome.error as { status?: number }).status === 500
  );
}

/**
 * Delivers one batch: sends it until the service gives a verdict on every record, retrying transient
 * failures with backoff. A batch refused as a whole is split in halves; invalid records are dropped and
 * the others sent again at once. A batch the service keeps failing on (500) is split in halves too, until the
 * record it cannot store is alone; that record is dead-lettered and every other one is delivered.
 */
export class Delivery {
  /** Records not settled yet, in order; `parts[0]` is the one being sent. */
  readonly parts: Item[][];

  constructor(
    items: Item[],
    private readonly ctx: DeliveryContext,
  ) {
    this.parts = [items];
  }

  get size(): number {
    let n = 0;
    for (const part of this.parts) n += part.length;
    return n;
  }

  /** Resolves when every record is settled, or when halted (the rest stay in `parts`). */
  async run(): Promise<void> {
    let attempt = 0;
    let serverFailures = 0;
    // A record is set aside only once the service stored others of this batch after failing on it: if it fails
    // on everything (a broken deployment), nothing is dead-lettered and the batch waits, as for an outage.
    let failedThenStored = false;
    let failedBefore = false;
    for (let part = this.parts[0]; part; part = this.parts[0]) {
      if (this.ctx.halted.aborted) return;
      const outcome = await this.send(part);
      serverFailures = isServerFailure(outcome) ? serverFailures + 1 : 0;
      if (serverFailures > 0) failedBefore = true;
      if (outcome.kind === "ack" && failedBefore) failedThenStored = true;
      if (outcome.kind === "retry" && part.length > 1 && serverFailures >= POISON_SPLIT_AFTER) {
        const half = Math.ceil(part.length / 2);
        this.parts.splice(0, 1, part.slice(0, half), part.slice(half));
        serverFailures = 0;
        attempt = 0;
        continue;
      }
      if (outcome.kind === "retry" && part.length === 1 && serverFailures >= POISON_DEAD_LETTER_AFTER) {
        serverFailures = 0;
        if (failedThenStored) {
          this.parts.shift();
          this.ctx.deadLettered(part[0] as Item, outcome.error);
          attempt = 0;
          continue;
        }
        if (this.parts.length > 1) {
          // No proof yet that the service stores anything: the rest of the batch goes first, then this again.
          this.parts.push(this.parts.shift() as Item[]);
          continue;
        }
      }
      if (outcome.kind === "retry") {
        if (this.ctx.halted.aborted) return;
        const delayMs = jitteredDelay(++attempt, this.ctx.backoff, this.ctx.random, outcome.retryAfterMs);
        this.ctx.logger.warn(
          { err: outcome.error, records: part.length, attempt, retryInMs: delayMs },
          "audit batch not delivered; will retry",
        );
        await this.ctx.sleep(delayMs);
        continue;
      }
      attempt = 0;
      this.parts.shift();
      this.apply(part, outcome);
    }
  }

  private apply(part: Item[], outcome: Exclude<SendOutcome, { kind: "retry" }>): void {
    switch (outcome.kind) {
      case "ack":
        this.ctx.delivered(part);
        return;
      case "invalid": {
        const valid = part.filter((item, i) => {
          const errors = outcome.invalid.get(i);
          if (errors) this.ctx.rejected(item, outcome.error, errors);
          return !errors;
        });
        if (valid.length > 0) this.parts.unshift(valid);
        return;
      }
      case "split": {
        const half = Math.ceil(part.length / 2);
        this.parts.unshift(part.slice(0, half), part.slice(half));
        return;
      }
      case "reject":
        for (const item of part) this.ctx.rejected(item, outcome.error, outcome.error.errors);
        return;
    }
  }

  /** One HTTP request, with its metrics: attempts and failures count records, duration counts requests. */
  private async send(part: Item[]): Promise<SendOutcome> {
    const { metrics } = this.ctx;
    const started = performance.now();
    let outcome: SendOutcome;
    try {
      await this.ctx.client.storeSerializedBatch(
        part.map((item) => item.json),
        { signal: this.ctx.halted },
      );
      outcome = { kind: "ack" };
    } catch (error) {
      outcome = classifyFailure(error, part.length);
    }
    if (outcome.kind === "retry" && this.ctx.halted.aborted) return outcome;
    metrics?.duration.observe((performance.now() - started) / 1_000);
    const ok = outcome.kind === "ack";
    metrics?.attempts.inc({ status: ok ? "success" : "error" }, part.length);
    if (!ok) metrics?.failures.inc(part.length);
    if (outcome.kind === "retry") this.ctx.attempted(outcome.answered, true);
    else this.ctx.attempted(true, false);
    return outcome;
  }
}
