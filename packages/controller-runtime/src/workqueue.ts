import { type BackoffOptions, exponentialDelay } from "@kubernaut/common";
import { errorFields, type Logger, silentLogger } from "./logger.js";

/** The longest delay Node's `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ProcessResult {
  /** Process the key again after this many ms, even if nothing changes. */
  requeueAfter?: number;
}

export interface WorkQueueOptions {
  /** Used in logs and the `workqueue_depth{name}` gauge. */
  name: string;
  /** Keys processed at the same time (never two for the same key). Default 1. */
  concurrency?: number;
  /** Per-key retry delay after failures: base 100 ms, doubling, capped at 60 s by default. */
  backoff?: Partial<BackoffOptions>;
  logger?: Logger;
  /** Called whenever the number of waiting keys changes. */
  onDepthChange?: (depth: number) => void;
}

/**
 * A keyed work queue with the semantics of client-go's workqueue:
 * - a key waits in the queue at most once, however often it is added;
 * - a key is processed by at most one worker at a time; a key added while it is being processed
 *   is processed once more after that;
 * - a failed key is retried after a per-key exponential backoff, reset by a success;
 * - `requeueAfter` schedules the key again;
 * - workers run only between `start()` and `shutdown()`; keys added before `start()` wait.
 */
export class WorkQueue {
  private readonly waiting: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly idleWorkers: (() => void)[] = [];
  private workers: Promise<void>[] = [];
  private shuttingDown = false;
  private readonly backoff: BackoffOptions;
  private readonly logger: Logger;

  constructor(
    private readonly process: (key: string) => Promise<ProcessResult>,
    private readonly options: WorkQueueOptions,
  ) {
    this.backoff = { baseMs: options.backoff?.baseMs ?? 100, capMs: options.backoff?.capMs ?? 60_000 };
    this.logger = options.logger ?? silentLogger;
  }

  get name(): string {
    return this.options.name;
  }

  /** Keys waiting for a worker (not counting those in flight or scheduled for later). */
  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Failures of `key` since its last success. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // queued again when its current run finishes
    this.push(key);
  }

  /** Adds `key` after `delayMs`; an earlier pending schedule of the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    this.schedule(key, at);
  }

  /**
   * Adds `key` at `at`. Node fires a timer longer than 2^31 - 1 ms (24.8 days, a remediation timeout of 30d, say)
   * after 1 ms, so a longer wait is made of timers of at most that length.
   */
  private schedule(key: string, at: number): void {
    const timer = setTimeout(
      () => {
        if (at > Date.now()) {
          this.schedule(key, at);
          return;
        }
        this.timers.delete(key);
        this.add(key);
      },
      Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
    );
    this.timers.set(key, { at, timer });
  }

  /** Starts the workers. */
  start(): void {
    if (this.shuttingDown) throw new Error(`work queue ${this.name} is shut down`);
    if (this.workers.length > 0) return;
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  /** Stops accepting keys, cancels scheduled ones and waits for the keys in flight; waiting keys are dropped. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.idleWorkers.splice(0)) wake();
    await Promise.all(this.workers);
  }

  private push(key: string): void {
    this.waiting.push(key);
    this.options.onDepthChange?.(this.waiting.length);
    this.idleWorkers.shift()?.();
  }

  private async next(): Promise<string | undefined> {
    while (!this.shuttingDown) {
      const key = this.waiting.shift();
      if (key !== undefined) {
        this.options.onDepthChange?.(this.waiting.length);
        this.dirty.delete(key);
        this.processing.add(key);
        return key;
      }
      await new Promise<void>((wake) => this.idleWorkers.push(wake));
    }
    return undefined;
  }

  private async work(): Promise<void> {
    for (let key = await this.next(); key !== undefined; key = await this.next()) {
      try {
        const result = await this.process(key);
        this.failures.delete(key);
        if (result.requeueAfter !== undefined) this.addAfter(key, result.requeueAfter);
      } catch (error) {
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const delayMs = exponentialDelay(failures, this.backoff);
        this.logger.error(
          { queue: this.name, key, failures, retryInMs: delayMs, ...errorFields(error) },
          "failed; retrying",
        );
        this.addAfter(key, delayMs);
      } finally {
        this.processing.delete(key);
        if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
      }
    }
  }
}
