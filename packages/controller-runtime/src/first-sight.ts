import { formatObjectKey, type KubeObject, type ObjectKey } from "./objects.js";

export interface FirstSightOptions {
  /** An object that finished longer ago than this is not due again; default 1 h. */
  windowMs?: number;
  now?: () => Date;
}

/**
 * The objects this process has not reconciled yet. A controller that publishes audit records after its
 * status writes loses a record when it dies between the two (or while the record waits in memory for the
 * storage service). So the first time a process reconciles an object, it publishes again every record the
 * object's status implies; deterministic event ids make the copies no-ops on the storage service. An object
 * that finished long ago is left alone, so a restart does not replay a day of finished objects.
 */
export class FirstSight {
  /** `namespace/name` → the uid seen there, so a new object under an old name counts as new. */
  private readonly seen = new Map<string, string>();
  private readonly windowMs: number;
  private readonly now: () => Date;

  constructor(options: FirstSightOptions = {}) {
    this.windowMs = options.windowMs ?? 3600_000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * True the first time this process sees the object (by uid), unless it finished (`finishedAt`, RFC 3339)
   * more than the window ago; false on every later call for the same object.
   */
  take(object: KubeObject, finishedAt?: string): boolean {
    const key = `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
    const uid = object.metadata?.uid ?? "";
    if (this.seen.get(key) === uid) return false;
    this.seen.set(key, uid);
    const finished = finishedAt === undefined ? Number.NaN : Date.parse(finishedAt);
    return Number.isNaN(finished) || this.now().getTime() - finished < this.windowMs;
  }

  /** Forgets an object that is gone. */
  forget(key: ObjectKey): void {
    this.seen.delete(formatObjectKey(key));
  }
}
