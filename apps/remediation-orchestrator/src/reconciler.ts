import {
  addFinalizer,
  type EventRecorder,
  FirstSight,
  isConflict,
  type Logger,
  type ObjectKey,
  objectKeyOf,
  type ReconcileResult,
  type Reconciler,
  type ResourceClient,
} from "@kubernaut/controller-runtime";
import type { AIAnalysis, RemediationProcessing, RemediationRequest } from "@kubernaut/crds";
import type { AuditTrail } from "./audit-trail.js";
import { type Cache, type ChildCaches, lookupChildren } from "./child-lookup.js";
import { duplicateTally, findOriginal, fingerprintLabelValue, markDuplicate } from "./duplicates.js";
import { duplicatesEventId, phaseEventId } from "./event-id.js";
import { KeyedLock } from "./keyed-lock.js";
import { AUDIT_FINALIZER, FINGERPRINT_LABEL, isDuplicate, isFinished } from "./lifecycle.js";
import type { OrchestratorMetrics } from "./metrics.js";
import type { RetentionKeeper } from "./retention-keeper.js";
import type { OrchestratorSettings } from "./settings.js";
import type { Children } from "./snapshots.js";
import { type ChildToCreate, decide } from "./state-machine.js";

export interface RemediationReconcilerOptions {
  requests: ResourceClient<RemediationRequest>;
  processings: ResourceClient<RemediationProcessing>;
  analyses: ResourceClient<AIAnalysis>;
  requestCache: Cache<RemediationRequest>;
  caches: ChildCaches;
  trail: AuditTrail;
  retention: RetentionKeeper;
  events: Pick<EventRecorder, "event">;
  metrics: OrchestratorMetrics;
  logger: Logger;
  settings: OrchestratorSettings;
  /** Asks for a reconcile of another request (the original, when a duplicate of it is marked). */
  enqueue: (key: ObjectKey) => void;
  now: () => Date;
}

/** A request that finished longer ago than this is not replayed by a new process. */
export const REPLAY_WINDOW_MS = 3600_000;

/**
 * Reconciles one RemediationRequest: re-read it, handle its finalizer, check for duplicates, converge its
 * children through the state machine, write status last through `/status`, and publish an audit record
 * for each phase change that status recorded. The first time this process sees a request it replays the
 * records the status implies, since a process that died between a status write and the delivery of its
 * record would otherwise have lost it.
 */
export class RemediationReconciler implements Reconciler {
  private readonly lock = new KeyedLock();
  /** Requests this process has not yet replayed the audit records of (see `AuditTrail.replay`). */
  private readonly firstSight: FirstSight;

  constructor(private readonly options: RemediationReconcilerOptions) {
    this.firstSight = new FirstSight({ windowMs: REPLAY_WINDOW_MS, now: options.now });
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const { requests, retention } = this.options;
    const found = await requests.get(key);
    if (!found) {
      this.firstSight.forget(key);
      return {};
    }
    if (found.metadata.deletionTimestamp) return retention.onDeletion(found);
    if (this.firstSight.take(found, found.status?.completedAt)) {
      this.options.trail.replay(found, this.children(found));
    }
    let rr = await this.ensureMetadata(found);
    const sameFingerprint = this.sameFingerprint(rr);
    if (!isDuplicate(rr)) rr = await this.recordDuplicates(rr, sameFingerprint);
    if (isFinished(rr)) return retention.onFinished(rr);
    if (rr.status?.phase === undefined) {
      const fresh = rr;
      return this.lock.run(rr.metadata.labels?.[FINGERPRINT_LABEL] ?? "", () => this.start(fresh));
    }
    return this.advance(rr);
  }

  /**
   * A new request either starts or becomes the duplicate of an active one. Decided one fingerprint at a
   * time and from a live list (not the cache), so a request that just started is always seen by the next.
   */
  private async start(rr: RemediationRequest): Promise<ReconcileResult> {
    const label = rr.metadata.labels?.[FINGERPRINT_LABEL] ?? "";
    const listed = await this.options.requests.list({
      namespace: rr.metadata.namespace ?? "",
      labelSelector: `${FINGERPRINT_LABEL}=${label}`,
    });
    const original = findOriginal(rr, listed.items);
    return original ? this.markAsDuplicate(rr, original) : this.advance(rr);
  }

  /** The audit finalizer and the fingerprint label, set once at creation. */
  private async ensureMetadata(rr: RemediationRequest): Promise<RemediationRequest> {
    const { requests } = this.options;
    let current = rr;
    const label = fingerprintLabelValue(rr.spec.signalFingerprint);
    if (current.metadata.labels?.[FINGERPRINT_LABEL] !== label) {
      current = await requests.mergePatch(objectKeyOf(current), {
        metadata: { labels: { [FINGERPRINT_LABEL]: label } },
      });
    }
    if (!current.metadata.finalizers?.includes(AUDIT_FINALIZER)) {
      current = (await addFinalizer(requests, current, AUDIT_FINALIZER)) ?? current;
    }
    return current;
  }

  /** Every cached request of the same alert, with the fresh copy of `rr` in place of the cached one. */
  private sameFingerprint(rr: RemediationRequest): RemediationRequest[] {
    const others = this.options.requestCache
      .list(rr.metadata.namespace)
      .filter(
        (other) =>
          other.spec.signalFingerprint === rr.spec.signalFingerprint &&
          other.metadata.uid !== rr.metadata.uid,
      );
    return [rr, ...others];
  }

  private async markAsDuplicate(
    rr: RemediationRequest,
    original: RemediationRequest,
  ): Promise<ReconcileResult> {
    const { requests, events, metrics, logger, settings, enqueue, now } = this.options;
    await requests.patchStatus(objectKeyOf(rr), markDuplicate(rr, original, now(), settings));
    metrics.duplicates.inc();
    logger.info(
      {
        remediation: rr.metadata.name,
        original: original.metadata.name,
        fingerprint: rr.spec.signalFingerprint,
      },
      "duplicate of an active remediation",
    );
    await events.event(
      rr,
      "Normal",
      "Duplicate",
      `duplicate of active remediation ${original.metadata.name}`,
    );
    enqueue(objectKeyOf(original));
    return {};
  }

  /** Keeps the original's duplicate count in step with the requests marked as its duplicates. */
  private async recordDuplicates(
    rr: RemediationRequest,
    sameFingerprint: RemediationRequest[],
  ): Promise<RemediationRequest> {
    const tally = duplicateTally(rr, sameFingerprint);
    if (!tally) return rr;
    const updated = await this.options.requests.patchStatus(objectKeyOf(rr), tally);
    this.options.trail.publish(
      updated,
      this.children(updated),
      duplicatesEventId(rr.metadata.uid ?? "", tally.duplicateCount ?? 0),
    );
    return updated;
  }

  private async advance(rr: RemediationRequest): Promise<ReconcileResult> {
    const { requests, trail, metrics, now, settings } = this.options;
    const children = this.children(rr);
    const decision = decide(rr, children, now(), settings);
    if (decision.create) await this.createChild(decision.create, children);
    if (decision.status) {
      const updated = await requests.patchStatus(objectKeyOf(rr), decision.status);
      if (decision.to) {
        metrics.phaseTransitions.inc({ phase: decision.to });
        trail.publish(updated, children, phaseEventId(rr.metadata.uid ?? "", decision.to));
        await this.announce(updated);
      }
    }
    return decision.requeueAfterMs === undefined ? {} : { requeueAfter: decision.requeueAfterMs };
  }

  /** Creates a child; one that already exists (a retry, or a cache not yet showing it) is fine. */
  private async createChild(child: ChildToCreate, children: Children): Promise<void> {
    try {
      if (child.kind === "RemediationProcessing") {
        children.processing = await this.options.processings.create(child.object);
      } else {
        children.analysis = await this.options.analyses.create(child.object);
      }
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  private async announce(rr: RemediationRequest): Promise<void> {
    const { events, metrics, logger } = this.options;
    const status = rr.status ?? {};
    logger.info(
      { remediation: rr.metadata.name, namespace: rr.metadata.namespace, phase: status.phase },
      "phase changed",
    );
    if (status.phase === "failed") {
      await events.event(rr, "Warning", "Failed", `failed in ${status.failedPhase}: ${status.errorMessage}`);
    } else if (status.phase === "timeout") {
      metrics.timeouts.inc({ phase: status.timeoutPhase ?? "unknown" });
      await events.event(rr, "Warning", "Timeout", `timed out in ${status.timeoutPhase}`);
    }
  }

  private children(rr: RemediationRequest): Children {
    return lookupChildren(rr, this.options.caches);
  }
}
