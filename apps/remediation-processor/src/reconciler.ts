import {
  FirstSight,
  type Logger,
  type ObjectKey,
  type ReconcileResult,
  type Reconciler,
  type ResourceClient,
} from "@kubernaut/controller-runtime";
import type { RemediationProcessing } from "@kubernaut/crds";
import type { AuditPublisher } from "@kubernaut/storage-client";
import { buildProcessingAudit } from "./audit-record.js";
import { type ClusterApis, gatherContext } from "./enrichment/gather.js";
import type { ProcessorMetrics } from "./metrics.js";
import { advance, isTerminal, type PhaseStep } from "./phases.js";

export interface ProcessingReconcilerOptions {
  client: ResourceClient<RemediationProcessing>;
  apis: ClusterApis;
  publisher: Pick<AuditPublisher, "publish">;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** How long one context source may take. */
  sourceTimeoutMs: number;
  now?: () => Date;
}

/** A finished processing seen for the first time by this process is audited again if it finished this recently. */
export const REPUBLISH_WINDOW_MS = 3600_000;

/**
 * Drives one RemediationProcessing through its phases, one phase per reconcile: re-read it, run its
 * current phase, write the result to `/status`. The status write wakes the next reconcile. Once the
 * processing is completed or failed, its audit record is published, fire-and-forget.
 */
export class ProcessingReconciler implements Reconciler {
  private readonly now: () => Date;
  /**
   * A crash between the final status write and the delivery of the record would lose it, so the first
   * time this process sees a processing that finished (recently), it publishes the record again.
   */
  private readonly firstSight: FirstSight;

  constructor(private readonly options: ProcessingReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
    this.firstSight = new FirstSight({ windowMs: REPUBLISH_WINDOW_MS, now: this.now });
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const { client, apis, sourceTimeoutMs } = this.options;
    const rp = await client.get(key);
    if (!rp) {
      this.firstSight.forget(key);
      return {};
    }
    if (rp.metadata.deletionTimestamp) return {};
    if (this.firstSight.take(rp, rp.status?.completedAt) && isTerminal(rp.status?.phase)) {
      this.publishAudit(rp);
    }
    const step = await advance(rp, {
      gatherContext: (signal, sources) => gatherContext(apis, signal, sources, sourceTimeoutMs),
      now: this.now,
    });
    if (!step) return {};
    const updated = await client.patchStatus(key, step.status);
    this.observe(rp, step);
    if (isTerminal(step.to)) this.publishAudit(updated);
    return {};
  }

  private observe(before: RemediationProcessing, step: PhaseStep): void {
    const { metrics, logger } = this.options;
    const started = step.from ? before.status?.phaseTransitions?.[step.from] : undefined;
    const ended = step.status.phaseTransitions?.[step.to];
    if (step.from && started && ended) {
      metrics.phaseDuration.observe({ phase: step.from }, (Date.parse(ended) - Date.parse(started)) / 1000);
    }
    if (step.from === "enriching") {
      const enrichment = step.status.enrichmentResults;
      metrics.contextQuality.observe(enrichment?.enrichmentQuality ?? 0);
      for (const _ of step.failedSources ?? []) {
        metrics.errors.inc({ error_type: "enrichment_source_failed", phase: "enriching" });
      }
    }
    if (isTerminal(step.to)) {
      const environment =
        step.status.environmentClassification?.environment ??
        before.status?.environmentClassification?.environment;
      metrics.processings.inc({ status: step.to, environment: environment ?? "unknown" });
    }
    if (step.to === "failed") {
      metrics.errors.inc({ error_type: "processing_failed", phase: step.from ?? "enriching" });
      logger.warn(
        {
          processing: before.metadata.name,
          namespace: before.metadata.namespace,
          error: step.status.errorMessage,
        },
        "remediation processing failed",
      );
    }
  }

  /** Fire-and-forget: the publisher buffers, retries and spools; reconciling never waits for storage. */
  private publishAudit(rp: RemediationProcessing): void {
    const record = buildProcessingAudit(rp, this.now());
    const accepted = this.options.publisher.publish({ kind: "alert-processing", ...record });
    if (!accepted) {
      this.options.logger.error(
        { processing: rp.metadata.name, fingerprint: rp.spec.signal.fingerprint, event_id: record.event_id },
        "audit record refused by the publisher",
      );
    }
  }
}
