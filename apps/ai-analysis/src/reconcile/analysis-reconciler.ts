import {
  FirstSight,
  formatObjectKey,
  isConflict,
  type ObjectKey,
  type ReconcileResult,
  type Reconciler,
} from "@kubernaut/controller-runtime";
import type { AIAnalysis } from "@kubernaut/crds";
import { checkRecommendations } from "../analysis/hallucination.js";
import { impliedAuditRecords } from "../audit/audit-events.js";
import { InvestigationProviderError } from "../investigation/findings.js";
import { describeSymptoms } from "../investigation/request.js";
import { withSimilarInvestigations } from "../investigation/similar-evidence.js";
import { rankRecommendations } from "../recommending/ranking.js";
import { alignWithWorkflow, isControlledBy, workflowExecutionFor } from "../workflow/workflow-execution.js";
import type { AnalysisReconcilerDeps } from "./ports.js";
import { decideAfterFailure, retryStatus, untilNextAttemptMs } from "./retry.js";
import {
  beginInvestigation,
  completeAnalysis,
  completeInvestigation,
  completeRecommendations,
  failAnalysis,
  type Transition,
} from "./transitions.js";

const MAX_STEPS = 5;

/** An analysis that finished longer ago than this is not replayed by a new process. */
export const REPLAY_WINDOW_MS = 3600_000;

/** What one phase step decided: go on with the stored object, or stop (maybe coming back later). */
type Step = { next: AIAnalysis } | { stop: ReconcileResult };

/**
 * Carries an AIAnalysis through investigating → analyzing → recommending → completed (or failed). Each phase
 * ends with one status write, and its audit records are published only once that write is stored, so a
 * reconcile that runs again resumes at the recorded phase and never repeats a finished phase's effects.
 */
export class AnalysisReconciler implements Reconciler {
  /**
   * Analyses this process has not yet seen. A process that died between a status write and the delivery
   * of its records would have lost them, so the first sight of an analysis (unless it finished long ago)
   * publishes again the records its status implies; their event ids make the copies no-ops on storage.
   */
  private readonly firstSight: FirstSight;

  constructor(private readonly deps: AnalysisReconcilerDeps) {
    this.firstSight = new FirstSight({ windowMs: REPLAY_WINDOW_MS, now: deps.now });
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    let analysis = await this.deps.analyses.get(key);
    if (!analysis) this.firstSight.forget(key);
    else if (this.firstSight.take(analysis, analysis.status?.completedAt)) {
      for (const record of impliedAuditRecords(analysis)) this.deps.audit.publish(record);
    }
    // Phases run back to back in one reconcile, each from the object its predecessor stored; the bound
    // guards against a status the server did not keep.
    for (let steps = 0; steps < MAX_STEPS && analysis && !analysis.metadata.deletionTimestamp; steps++) {
      const step = await this.step(key, analysis);
      if ("stop" in step) return step.stop;
      analysis = step.next;
    }
    return {};
  }

  private step(key: ObjectKey, analysis: AIAnalysis): Promise<Step> {
    const now = this.deps.now();
    switch (analysis.status?.phase) {
      case undefined:
        return this.apply(key, beginInvestigation(analysis, now));
      case "investigating":
        return this.investigate(key, analysis);
      case "analyzing":
        return this.analyze(key, analysis);
      case "recommending":
        return this.recommend(key, analysis);
      default:
        return Promise.resolve({ stop: {} });
    }
  }

  private async investigate(key: ObjectKey, analysis: AIAnalysis): Promise<Step> {
    const { provider, memory, metrics } = this.deps;
    const wait = untilNextAttemptMs(analysis, this.deps.now());
    if (wait > 0) return { stop: { requeueAfter: wait } };
    const alert = analysis.spec.analysisRequest.alertContext;
    const cluster = await this.deps.cluster.observe(alert);
    const symptoms = describeSymptoms({ alert, cluster });
    const similar = await memory.recall(alert.environment, symptoms);
    try {
      const findings = await provider.investigate({ alert, cluster, similar }, this.deps.shutdown);
      metrics.investigations.inc({ provider: provider.name, outcome: "success" });
      const transition = completeInvestigation(
        analysis,
        withSimilarInvestigations(findings, similar),
        provider.name,
        this.deps.now(),
      );
      const step = await this.apply(key, transition);
      memory.remember(analysis, symptoms, findings);
      return step;
    } catch (error) {
      if (!(error instanceof InvestigationProviderError)) throw error;
      const decision = decideAfterFailure(analysis, error, this.deps.retry, this.deps.now());
      this.deps.logger.warn(
        { analysis: formatObjectKey(key), provider: provider.name, reason: error.reason, err: error.message },
        decision.kind === "retry" ? "investigation attempt failed; retrying" : "investigation failed",
      );
      if (decision.kind === "fail") {
        metrics.investigations.inc({ provider: provider.name, outcome: "failed" });
        return this.apply(key, decision.transition);
      }
      metrics.investigations.inc({ provider: provider.name, outcome: "retry" });
      await this.deps.analyses.patchStatus(
        key,
        retryStatus(decision.failures, decision.delayMs, this.deps.now()),
      );
      return { stop: { requeueAfter: decision.delayMs } };
    }
  }

  private async analyze(key: ObjectKey, analysis: AIAnalysis): Promise<Step> {
    const check = await checkRecommendations(analysis.status?.recommendations ?? [], this.deps.cluster);
    if (check.hallucinated.length > 0) {
      this.deps.metrics.hallucinations.inc(check.hallucinated.length);
      this.deps.logger.warn(
        { analysis: formatObjectKey(key), dropped: check.hallucinated.map((h) => h.reason) },
        "hallucinated recommendations dropped",
      );
    }
    return this.apply(key, completeAnalysis(analysis, check, this.deps.now()));
  }

  private async recommend(key: ObjectKey, analysis: AIAnalysis): Promise<Step> {
    const { environment } = analysis.spec.analysisRequest.alertContext;
    const history = await this.deps.history.historyFor(environment);
    let ranked = rankRecommendations(analysis.status?.recommendations ?? [], history, this.deps.priorWeight);
    const top = ranked[0];
    if (!top) {
      return this.apply(
        key,
        failAnalysis(analysis, "recommending", "no recommendation to act on", this.deps.now()),
      );
    }
    const desired = workflowExecutionFor(analysis, top);
    const workflowKey = { namespace: key.namespace, name: desired.metadata.name ?? "" };
    try {
      await this.deps.workflows.create(desired);
    } catch (error) {
      if (!isConflict(error)) throw error;
      const existing = await this.deps.workflows.get(workflowKey);
      if (!existing) throw error;
      if (!isControlledBy(existing, analysis)) {
        const reason = `WorkflowExecution ${formatObjectKey(workflowKey)} already exists and belongs to another object`;
        return this.apply(key, failAnalysis(analysis, "recommending", reason, this.deps.now()));
      }
      ranked = alignWithWorkflow(ranked, existing);
    }
    return this.apply(key, completeRecommendations(analysis, ranked, workflowKey, this.deps.now()));
  }

  /** Stores the phase change, then publishes its audit records and observes the phase that ended. */
  private async apply(key: ObjectKey, transition: Transition): Promise<Step> {
    const stored = await this.deps.analyses.patchStatus(key, transition.status);
    for (const record of transition.audits) this.deps.audit.publish(record);
    const { metrics } = this.deps;
    if (transition.phaseEnded) {
      metrics.phaseDuration.observe({ phase: transition.phaseEnded.phase }, transition.phaseEnded.seconds);
    }
    const finished = transition.audits.find((a) => a.completion_status);
    if (finished?.completion_status) metrics.analyses.inc({ completion_status: finished.completion_status });
    return { next: stored };
  }
}
