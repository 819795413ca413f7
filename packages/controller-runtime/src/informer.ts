import { type BackoffOptions, exponentialDelay, sleep } from "@kubernaut/common";
import { isGone } from "./errors.js";
import type { ListerWatcher, WatchEvent } from "./list-watch.js";
import { errorFields, type Logger, silentLogger } from "./logger.js";
import type { KubeObject } from "./objects.js";

export type InformerEvent<T> =
  | { type: "added"; object: T }
  | { type: "updated"; object: T; previous: T }
  | { type: "deleted"; object: T };

export interface InformerOptions {
  /** Used in logs. */
  name: string;
  /** Delay before re-watching after an error: base 500 ms, doubling, capped at 30 s by default. */
  backoff?: Partial<BackoffOptions>;
  logger?: Logger;
}

/**
 * Keeps a cache of one resource kind in step with the API server and reports each change:
 * list, then watch from the list's resourceVersion (with bookmarks). A watch that ends or breaks is
 * resumed from the last resourceVersion seen, after a backoff when it failed; a 410 Gone (the version
 * expired) triggers a fresh list whose differences with the cache are reported, so no change is lost.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<(event: InformerEvent<T>) => void>();
  private resourceVersion = "";
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly backoff: BackoffOptions;
  private readonly logger: Logger;

  constructor(
    private readonly source: ListerWatcher<T>,
    private readonly options: InformerOptions,
  ) {
    this.backoff = { baseMs: options.backoff?.baseMs ?? 500, capMs: options.backoff?.capMs ?? 30_000 };
    this.logger = options.logger ?? silentLogger;
  }

  get name(): string {
    return this.options.name;
  }

  /** Subscribes to changes; returns the unsubscribe function. Events of the initial list arrive as "added". */
  on(handler: (event: InformerEvent<T>) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** The cached object, if any. */
  get(namespace: string, name: string): T | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace ? all.filter((object) => object.metadata?.namespace === namespace) : all;
  }

  /** True once the first list has been applied. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion the next watch starts from. */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let progressed = false;
      const started = Date.now();
      try {
        if (!this.resourceVersion) await this.relist();
        if (signal.aborted) break;
        const from = this.resourceVersion;
        let events = 0;
        this.logger.debug({ informer: this.name, resourceVersion: from }, "watch started");
        await this.source.watch(
          from,
          (event) => {
            progressed = true;
            events++;
            this.apply(event);
          },
          signal,
        );
        this.logger.debug(
          { informer: this.name, resourceVersion: from, events, durationMs: Date.now() - started },
          "watch ended",
        );
        // A watch the server ended at once without news counts as a failure, so a misbehaving path cannot spin.
        failures = progressed || Date.now() - started > 10_000 ? 0 : failures + 1;
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error)) {
          this.logger.info(
            { informer: this.name, resourceVersion: this.resourceVersion },
            "watch expired; listing again",
          );
          this.resourceVersion = "";
          failures = progressed ? 0 : failures + 1;
        } else {
          failures = progressed ? 1 : failures + 1;
          this.logger.warn(
            { informer: this.name, failures, ...errorFields(error) },
            "watch failed; retrying",
          );
        }
      }
      if (failures > 0) await sleep(exponentialDelay(failures, this.backoff), signal);
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.source.list();
    const fresh = new Map(items.map((object) => [cacheKey(object), object]));
    for (const [key, object] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.emit({ type: "deleted", object });
      }
    }
    for (const [key, object] of fresh) {
      const previous = this.cache.get(key);
      this.cache.set(key, object);
      if (!previous) this.emit({ type: "added", object });
      else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        this.emit({ type: "updated", object, previous });
      }
    }
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private apply({ type, object }: WatchEvent<T>): void {
    const resourceVersion = object.metadata?.resourceVersion;
    if (type !== "BOOKMARK") {
      const key = cacheKey(object);
      const previous = this.cache.get(key);
      if (type === "DELETED") {
        this.cache.delete(key);
        this.emit({ type: "deleted", object });
      } else {
        this.cache.set(key, object);
        this.emit(previous ? { type: "updated", object, previous } : { type: "added", object });
      }
    }
    if (resourceVersion) this.resourceVersion = resourceVersion;
  }

  private emit(event: InformerEvent<T>): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error({ informer: this.name, ...errorFields(error) }, "informer event handler threw");
      }
    }
  }
}

function cacheKey(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}
