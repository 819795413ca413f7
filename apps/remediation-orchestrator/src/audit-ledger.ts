import type { RequestOptions, StorageClient } from "@kubernaut/storage-client";

/** Whether the storage service holds a record: it does, it answered without it, or it did not answer. */
export type LedgerAnswer = "stored" | "missing" | "unavailable";

/** Looks up one audit event; the orchestrator's only read of the storage service. */
export interface AuditLedger {
  check(fingerprint: string, eventId: string, notBefore: Date): Promise<LedgerAnswer>;
}

/** Records are looked for from this long before the time they were published, to allow for clock skew. */
const SKEW_MARGIN_MS = 3600_000;

/**
 * Confirms a record through the alert's timeline (`GET /api/v1/audit/timeline/{fingerprint}`), bounded in
 * time and by a short timeout, so a slow or absent storage service costs a reconcile at most `timeoutMs`.
 */
export class TimelineLedger implements AuditLedger {
  constructor(
    private readonly client: Pick<StorageClient, "timeline">,
    private readonly timeoutMs: number,
  ) {}

  async check(fingerprint: string, eventId: string, notBefore: Date): Promise<LedgerAnswer> {
    const since = new Date(notBefore.getTime() - SKEW_MARGIN_MS).toISOString();
    const options: RequestOptions = { timeoutMs: this.timeoutMs };
    try {
      const timeline = await this.client.timeline(fingerprint, { since, limit: 10_000 }, options);
      if (timeline.items.some((event) => event.event_id === eventId)) return "stored";
      return timeline.truncated ? "unavailable" : "missing";
    } catch {
      return "unavailable";
    }
  }
}
