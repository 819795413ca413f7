import type { Logger } from "@kubernaut/controller-runtime";
import type { RemediationRequest } from "@kubernaut/crds";
import type { AuditPublisher } from "@kubernaut/storage-client";
import { buildOrchestrationAudit } from "./audit-record.js";
import { impliedRecords } from "./audit-replay.js";
import { deletedEventId } from "./event-id.js";
import type { Children } from "./snapshots.js";

/**
 * Publishes the orchestrator's audit records, fire-and-forget: the publisher buffers, retries and spools,
 * and the deterministic event ids make every repeat a no-op on the storage service. Remembers which ids
 * this process published, so a record is not queued twice while the storage service is unreachable.
 */
export class AuditTrail {
  /** Event ids published by this process, by request uid. */
  private readonly published = new Map<string, Set<string>>();

  constructor(
    private readonly publisher: Pick<AuditPublisher, "publish">,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** The record of the request as its status stands, under `eventId`; `occurredAt` defaults to now. */
  publish(rr: RemediationRequest, children: Children, eventId: string, occurredAt?: string): void {
    const deletedAt =
      eventId === deletedEventId(rr.metadata.uid ?? "")
        ? (rr.metadata.deletionTimestamp ?? this.now().toISOString())
        : undefined;
    const record = buildOrchestrationAudit(rr, children, {
      eventId,
      now: occurredAt ? new Date(occurredAt) : this.now(),
      ...(deletedAt ? { deletedAt } : {}),
    });
    const uid = rr.metadata.uid ?? "";
    this.published.set(uid, (this.published.get(uid) ?? new Set()).add(eventId));
    if (!this.publisher.publish({ kind: "remediation-orchestration", ...record })) {
      this.logger.error(
        { remediation: rr.metadata.name, event_id: eventId, phase: record.overall_phase },
        "audit record refused by the publisher",
      );
    }
  }

  /**
   * Publishes again, once per process, the records the request's status implies and this process has not
   * published: the first time a process sees a request, since the one before may have died with them.
   */
  replay(rr: RemediationRequest, children: Children): void {
    for (const implied of impliedRecords(rr, children)) {
      if (this.publishedHere(rr, implied.eventId)) continue;
      this.publish(implied.rr, implied.children, implied.eventId, implied.occurredAt);
    }
  }

  publishedHere(rr: RemediationRequest, eventId: string): boolean {
    return this.published.get(rr.metadata.uid ?? "")?.has(eventId) ?? false;
  }

  /** Forgets a request that is gone. */
  forget(rr: RemediationRequest): void {
    this.published.delete(rr.metadata.uid ?? "");
  }
}
