import {
  type EventRecorder,
  type Logger,
  objectKeyOf,
  type ReconcileResult,
  type ResourceClient,
  removeFinalizer,
} from "@kubernaut/controller-runtime";
import type { RemediationRequest } from "@kubernaut/crds";
import type { AuditLedger } from "./audit-ledger.js";
import type { AuditTrail } from "./audit-trail.js";
import { type ChildCaches, lookupChildren } from "./child-lookup.js";
import { deletedEventId } from "./event-id.js";
import { AUDIT_FINALIZER, isDuplicate } from "./lifecycle.js";
import type { OrchestratorMetrics } from "./metrics.js";
import { deletionStep, retentionStep } from "./retention.js";
import type { OrchestratorSettings } from "./settings.js";
import { AUDIT_RECORDED_CONDITION, upsertCondition } from "./state-machine.js";

export interface RetentionKeeperOptions {
  requests: ResourceClient<RemediationRequest>;
  caches: ChildCaches;
  ledger: AuditLedger;
  trail: AuditTrail;
  events: Pick<EventRecorder, "event">;
  metrics: OrchestratorMetrics;
  logger: Logger;
  settings: OrchestratorSettings;
  now: () => Date;
}

/**
 * The 24-hour retention of finished requests and the audit finalizer. A finished request is deleted once
 * its retention expired and its final audit record is confirmed stored; a deletion (by retention or by a
 * user) is held by the finalizer until that confirmation, or until FINALIZER_MAX_WAIT with a Warning event.
 */
export class RetentionKeeper {
  constructor(private readonly options: RetentionKeeperOptions) {}

  async onFinished(rr: RemediationRequest): Promise<ReconcileResult> {
    const { requests, metrics, settings, now } = this.options;
    const step = retentionStep(rr, now(), settings);
    switch (step.action) {
      case "none":
        return {};
      case "wait":
        return { requeueAfter: step.requeueAfterMs };
      case "delete":
        if (await requests.delete(objectKeyOf(rr))) metrics.retentionDeletions.inc();
        return {};
      case "confirm": {
        if (!(await this.confirm(rr, step.eventId))) return { requeueAfter: step.requeueAfterMs };
        const at = now().toISOString();
        const updated = await requests.patchStatus(objectKeyOf(rr), {
          auditRecorded: true,
          auditRecordedTime: at,
          conditions: upsertCondition(rr.status?.conditions, {
            type: AUDIT_RECORDED_CONDITION,
            status: "True",
            reason: "Stored",
            message: `final audit record ${step.eventId} is stored`,
            lastTransitionTime: at,
          }),
        });
        const next = retentionStep(updated, now(), settings);
        return next.action === "wait" ? { requeueAfter: next.requeueAfterMs } : { requeueAfter: 0 };
      }
    }
  }

  async onDeletion(rr: RemediationRequest): Promise<ReconcileResult> {
    const { requests, trail, events, metrics, logger, settings, now } = this.options;
    const step = deletionStep(rr, now(), settings);
    switch (step.action) {
      case "none":
        return {};
      case "confirm":
        if (!(await this.confirm(rr, step.eventId))) return { requeueAfter: step.requeueAfterMs };
        break;
      case "give-up":
        metrics.auditConfirmations.inc({ result: "gave_up" });
        logger.warn(
          { remediation: rr.metadata.name, event_id: step.eventId },
          "deleting without audit confirmation",
        );
        await events.event(
          rr,
          "Warning",
          "AuditNotConfirmed",
          `final audit record ${step.eventId} not confirmed within ${settings.finalizerMaxWaitMs} ms; deleting anyway`,
        );
        break;
      case "release":
        break;
    }
    const deleted = deletedEventId(rr.metadata.uid ?? "");
    if (!isDuplicate(rr) && !trail.publishedHere(rr, deleted)) {
      trail.publish(rr, lookupChildren(rr, this.options.caches), deleted);
    }
    await removeFinalizer(requests, rr, AUDIT_FINALIZER);
    trail.forget(rr);
    return {};
  }

  /**
   * True when the storage service holds the record. When it answers without it, the record is published
   * again (same event id, so harmless if the first copy is still on its way); when it does not answer,
   * the record is published only if this process never did, since the publisher retries on its own.
   */
  private async confirm(rr: RemediationRequest, eventId: string): Promise<boolean> {
    const { ledger, trail, metrics, caches } = this.options;
    const answer = await ledger.check(rr.spec.signalFingerprint, eventId, this.publishedAround(rr));
    metrics.auditConfirmations.inc({ result: answer });
    if (answer === "stored") return true;
    if (answer === "missing" || !trail.publishedHere(rr, eventId))
      trail.publish(rr, lookupChildren(rr, caches), eventId);
    return false;
  }

  /** When the final record was (or will be) published: completion, else the deletion. */
  private publishedAround(rr: RemediationRequest): Date {
    const at = rr.status?.completedAt ?? rr.metadata.deletionTimestamp;
    return at ? new Date(at) : this.options.now();
  }
}
