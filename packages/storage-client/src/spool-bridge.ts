import type { Item } from "./delivery.js";
import type { Logger } from "./logger.js";
import { Spool, type SpoolSegment } from "./spool.js";

export interface SpoolBridgeHooks {
  /** Records read back from disk, to be buffered and sent. */
  replayed(items: Item[]): void;
  /** A record that had to leave memory could not be written to disk either. */
  lost(item: Item): void;
  /** The number of records on disk changed. */
  changed(): void;
}

/**
 * Connects the publisher's buffer to the on-disk spool: overflowing records go to disk, records unsent at
 * close are written before the final drain, and spooled records come back into the buffer when it has room.
 * If the directory cannot be used, the publisher goes on without a spool.
 */
export class SpoolBridge {
  private spool: Spool | undefined;
  private replaying = false;

  constructor(
    dir: string,
    private readonly segmentMaxRecords: number,
    private readonly logger: Logger,
    private readonly hooks: SpoolBridgeHooks,
  ) {
    const spool = new Spool(dir, segmentMaxRecords, logger);
    this.spool = spool;
    spool.ready.catch((error: unknown) => {
      this.spool = undefined;
      logger.error({ err: error, dir }, "cannot open the audit spool; continuing without it");
    });
  }

  /** Records on disk and not in memory. */
  backlog(): number {
    return this.spool?.backlog() ?? 0;
  }

  settle(segment: SpoolSegment): void {
    this.spool?.settle(segment);
  }

  /** Writes a record that does not fit in memory to disk; false if there is no usable spool. */
  overflow(item: Item): boolean {
    const spool = this.spool;
    if (!spool) return false;
    const previous = item.segment;
    spool.append([item.json], false).then(
      () => {
        // A replayed record written again to a newer segment no longer holds its old one.
        if (previous) spool.settle(previous);
        this.hooks.changed();
      },
      (error: unknown) => {
        this.logger.error({ err: error }, "cannot write to the audit spool");
        this.hooks.lost(item);
      },
    );
    return true;
  }

  /** Writes records held only in memory to disk, so that a kill while they are sent loses nothing. */
  async persist(items: Item[]): Promise<void> {
    const spool = this.spool;
    const unspooled = items.filter((i) => !i.segment && !i.settled);
    if (!spool || unspooled.length === 0) return;
    try {
      const segments = await spool.append(
        unspooled.map((i) => i.json),
        true,
      );
      unspooled.forEach((item, i) => {
        const segment = segments[i];
        if (!segment) return;
        if (item.settled) spool.settle(segment);
        else item.segment = segment;
      });
      this.logger.info(
        { records: unspooled.length, dir: spool.dir },
        "unsent audit records spooled at close",
      );
    } catch (error) {
      this.logger.error({ err: error }, "cannot spool unsent audit records at close");
    }
  }

  /**
   * Loads the next segment when the buffer has room for one. Records that overflowed go to the segment
   * being written; it is sealed and loaded once the publisher is `idle` (nothing buffered or in flight).
   */
  refill(room: number, idle: () => boolean): void {
    const spool = this.spool;
    if (!spool || this.replaying || room < this.segmentMaxRecords) return;
    this.replaying = true;
    void this.load(spool, idle).then((loaded) => {
      this.replaying = false;
      if (loaded) this.hooks.changed();
    });
  }

  /** Seals the spool; returns how many records it keeps for the next start. */
  async close(): Promise<number> {
    const spool = this.spool;
    if (!spool) return 0;
    await spool.close().catch((error: unknown) => {
      this.logger.error({ err: error }, "cannot close the audit spool");
    });
    return spool.unsettled();
  }

  private async load(spool: Spool, idle: () => boolean): Promise<boolean> {
    try {
      await spool.ready;
      let segment = spool.nextSealed();
      if (!segment && spool.activeHasBacklog() && idle()) {
        await spool.seal();
        segment = spool.nextSealed();
      }
      if (!segment) return false;
      const records = await spool.load(segment);
      this.logger.info({ records: records.length, file: segment.file }, "replaying spooled audit records");
      this.hooks.replayed(
        records.map(({ json, identity }) => ({ json, identity, seq: 0, segment, settled: false })),
      );
      return true;
    } catch (error) {
      this.logger.error({ err: error }, "cannot replay the audit spool");
      return false;
    }
  }
}
