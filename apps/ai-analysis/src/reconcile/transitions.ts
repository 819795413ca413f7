import type {
  AIAnalysis,
  AIAnalysisPhase,
  AIAnalysisStatus,
  ObjectReference,
  Recommendation,
  TargetResource,
} from "@kubernaut/crds";
import type { HallucinationCheck } from "../analysis/hallucination.js";
import { confidenceScore } from "../analysis/hallucination.js";
import {
  type AIAnalysisAuditRecord,
  analysisCompleteEvent,
  analysisFailedEvent,
  type CompletionStatus,
  investigationCompleteEvent,
  recommendationsGeneratedEvent,
  workflowCreatedEvent,
} from "../audit/audit-events.js";
import type { InvestigationFindings, RecommendedTarget } from "../investigation/findings.js";

/**
 * One phase change: the merge patch for `/status`, the audit records it triggers (published only once the
 * patch is stored) and how long the phase that ended lasted.
 */
export interface Transition {
  status: AIAnalysisStatus;
  audits: AIAnalysisAuditRecord[];
  phaseEnded?: { phase: AIAnalysisPhase; seconds: number };
}

export type FailedPhase = NonNullable<AIAnalysisStatus["failedPhase"]>;

/** The object as it will read once `status` is merged in, for building audit records from it. */
export function withStatus(analysis: AIAnalysis, status: AIAnalysisStatus): AIAnalysis {
  const current = analysis.status ?? {};
  return {
    ...analysis,
    status: {
      ...current,
      ...status,
      phaseTransitions: { ...current.phaseTransitions, ...status.phaseTransitions },
    },
  };
}

function enter(analysis: AIAnalysis, phase: AIAnalysisPhase, now: Date): AIAnalysisStatus {
  return {
    phase,
    phaseTransitions: { [phase]: now.toISOString() },
    observedGeneration: analysis.metadata.generation,
  };
}

function phaseEnded(analysis: AIAnalysis, now: Date): Transition["phaseEnded"] {
  const phase = analysis.status?.phase;
  const since = phase && analysis.status?.phaseTransitions?.[phase];
  if (!phase || !since) return undefined;
  return { phase, seconds: Math.max(0, (now.getTime() - Date.parse(since)) / 1000) };
}

/** A new AIAnalysis starts investigating. Nothing is audited until the investigation ends. */
export function beginInvestigation(analysis: AIAnalysis, now: Date): Transition {
  return { status: enter(analysis, "investigating", now), audits: [] };
}

/**
 * The provider's findings go to status; its recommendations become the candidates the analysis will check,
 * ranked by the provider's own estimate for now.
 */
export function completeInvestigation(
  analysis: AIAnalysis,
  findings: InvestigationFindings,
  provider: string,
  now: Date,
): Transition {
  const status: AIAnalysisStatus = {
    ...enter(analysis, "analyzing", now),
    investigationResult: {
      rootCauseHypotheses: findings.rootCauseHypotheses,
      investigationReport: findings.investigationReport,
      provider,
    },
    recommendations: findings.recommendations.map((r, i) => {
      const recommendation: Recommendation = {
        action: r.action,
        description: r.rationale,
        targetResource: targetOf(analysis, r.targetResource),
        effectivenessProbability: r.effectivenessEstimate,
        rank: i + 1,
      };
      if (Object.keys(r.parameters).length > 0) recommendation.parameters = r.parameters;
      return recommendation;
    }),
  };
  return {
    status,
    audits: [investigationCompleteEvent(withStatus(analysis, status))],
    phaseEnded: phaseEnded(analysis, now),
  };
}

/** A provider that leaves out a namespaced object's namespace means the signal's own namespace. */
function targetOf(analysis: AIAnalysis, target: RecommendedTarget): TargetResource {
  if (target.kind === "Node") return { kind: target.kind, name: target.name };
  const { alertContext } = analysis.spec.analysisRequest;
  const namespace = target.namespace ?? alertContext.targetResource.namespace ?? alertContext.namespace;
  return namespace
    ? { kind: target.kind, name: target.name, namespace }
    : { kind: target.kind, name: target.name };
}

/**
 * Keeps the recommendations that can run and sets the confidence. Hallucinated ones are dropped and flagged;
 * with none left the analysis fails, naming what was wrong with each.
 */
export function completeAnalysis(analysis: AIAnalysis, check: HallucinationCheck, now: Date): Transition {
  const topConfidence = analysis.status?.investigationResult?.rootCauseHypotheses[0]?.confidence ?? 0;
  const findings: AIAnalysisStatus = {
    confidenceScore: confidenceScore(topConfidence, check),
    hallucinationDetected: check.hallucinated.length > 0,
  };
  if (check.valid.length === 0) {
    const why =
      check.hallucinated.length === 0
        ? "the investigation recommended no action"
        : `every recommendation was invalid: ${check.hallucinated.map((h) => h.reason).join("; ")}`;
    return failAnalysis(analysis, "analyzing", `no valid recommendation: ${why}`, now, "failed", {
      ...findings,
      recommendations: [],
    });
  }
  const status: AIAnalysisStatus = {
    ...enter(analysis, "recommending", now),
    ...findings,
    recommendations: check.valid.map((r, i) => ({ ...r, rank: i + 1 })),
  };
  return {
    status,
    audits: [analysisCompleteEvent(withStatus(analysis, status))],
    phaseEnded: phaseEnded(analysis, now),
  };
}

/** Ranked recommendations and the WorkflowExecution for the top one: the analysis is complete. */
export function completeRecommendations(
  analysis: AIAnalysis,
  ranked: Recommendation[],
  workflow: ObjectReference,
  now: Date,
): Transition {
  const status: AIAnalysisStatus = {
    ...enter(analysis, "completed", now),
    recommendations: ranked,
    workflowExecutionRef: workflow,
    completedAt: now.toISOString(),
    completionStatus: "completed",
  };
  const completed = withStatus(analysis, status);
  return {
    status,
    audits: [recommendationsGeneratedEvent(completed), workflowCreatedEvent(completed)],
    phaseEnded: phaseEnded(analysis, now),
  };
}

/** The analysis stops in `failed`, recording in which phase and why, with what that phase had found. */
export function failAnalysis(
  analysis: AIAnalysis,
  failedPhase: FailedPhase,
  reason: string,
  now: Date,
  completionStatus: CompletionStatus = "failed",
  findings: AIAnalysisStatus = {},
): Transition {
  const status: AIAnalysisStatus = {
    ...findings,
    ...enter(analysis, "failed", now),
    failedPhase,
    failureReason: reason,
    completedAt: now.toISOString(),
    completionStatus,
  };
  return {
    status,
    audits: [analysisFailedEvent(withStatus(analysis, status), completionStatus)],
    phaseEnded: phaseEnded(analysis, now),
  };
}
