import type { Condition, RemediationProcessing, RemediationProcessingStatus, Signal } from "@kubernaut/crds";
import { formatGoDuration } from "@kubernaut/schema/contracts";
import { classify } from "./classification.js";
import { requestedSources, type SignalContext } from "./enrichment/context.js";
import { enrichmentOutcome } from "./enrichment/results.js";
import { route } from "./routing.js";

export type ProcessingPhase = NonNullable<RemediationProcessingStatus["phase"]>;

/** What a reconcile writes to `/status` (a merge patch), and the phase change it records. */
export interface PhaseStep {
  from: ProcessingPhase | undefined;
  to: ProcessingPhase;
  status: RemediationProcessingStatus;
  /** Names of the context sources that did not answer (enriching only). */
  failedSources?: string[];
}

export interface PhaseDependencies {
  /** Reads the signal's context from the cluster; never throws, failures are per source. */
  gatherContext(signal: Signal, sources: readonly string[]): Promise<SignalContext>;
  now(): Date;
}

export function isTerminal(phase: ProcessingPhase | undefined): boolean {
  return phase === "completed" || phase === "failed";
}

/**
 * Runs the phase the processing is in and answers the status that records its end and the start of the
 * next, or undefined when there is nothing left to do. One phase per call, so that every phase's start
 * and end are in status before the next begins and a restart resumes where it stopped.
 */
export async function advance(
  rp: RemediationProcessing,
  deps: PhaseDependencies,
): Promise<PhaseStep | undefined> {
  const status = rp.status ?? {};
  const from = status.phase;
  switch (from) {
    case undefined:
      return { from, to: "enriching", status: enter("enriching", deps.now()) };
    case "enriching":
      return enrich(rp, deps);
    case "classifying":
      return classifyPhase(rp, deps.now());
    case "routing":
      return routePhase(rp, deps.now());
    default:
      return undefined;
  }
}

function enter(phase: ProcessingPhase, at: Date): RemediationProcessingStatus {
  return { phase, phaseTransitions: { [phase]: at.toISOString() } };
}

/** When the phase the processing is in began: its transition time, else the creation time. */
function phaseStart(rp: RemediationProcessing, phase: ProcessingPhase, fallback: Date): Date {
  const at = rp.status?.phaseTransitions?.[phase] ?? rp.metadata.creationTimestamp;
  return at ? new Date(at) : fallback;
}

function elapsedNs(start: Date, end: Date): number {
  return Math.max(0, end.getTime() - start.getTime()) * 1e6;
}

async function enrich(rp: RemediationProcessing, deps: PhaseDependencies): Promise<PhaseStep> {
  const sources = requestedSources(rp.spec.enrichmentConfig?.contextSources);
  const context = await deps.gatherContext(rp.spec.signal, sources);
  const end = deps.now();
  const start = phaseStart(rp, "enriching", end);
  const outcome = enrichmentOutcome(context, elapsedNs(start, end), end);
  const failed = outcome.failedSources.map((s) => `${s.name} (${s.reason})`).join("; ");
  const condition: Condition = {
    type: "Enriched",
    status: outcome.results.enrichmentQuality === 0 ? "False" : "True",
    reason: outcome.degradedMode ? "DegradedContext" : "CompleteContext",
    message: failed ? `unavailable sources: ${failed}` : "every context source answered",
    lastTransitionTime: end.toISOString(),
  };
  const failedSources = outcome.failedSources.map((s) => s.name);
  const base = {
    enrichmentResults: outcome.results,
    degradedMode: outcome.degradedMode,
    conditions: upsertCondition(rp.status?.conditions, condition),
  };
  if (outcome.results.enrichmentQuality === 0) {
    return {
      from: "enriching",
      to: "failed",
      failedSources,
      status: {
        ...enter("failed", end),
        ...base,
        completedAt: end.toISOString(),
        failedPhase: "enriching",
        errorMessage: `enrichment failed: no context source answered: ${failed}`,
      },
    };
  }
  return {
    from: "enriching",
    to: "classifying",
    failedSources,
    status: { ...enter("classifying", end), ...base, classificationStartTime: end.toISOString() },
  };
}

function classifyPhase(rp: RemediationProcessing, now: Date): PhaseStep {
  const signal = rp.spec.signal;
  const classification = classify({
    namespace: signal.targetResource.namespace ?? signal.namespace,
    namespaceLabels: rp.status?.enrichmentResults?.namespaceLabels,
    environmentHint: signal.environment,
    severity: signal.severity,
  });
  const start = rp.status?.classificationStartTime ? new Date(rp.status.classificationStartTime) : now;
  return {
    from: "classifying",
    to: "routing",
    status: {
      ...enter("routing", now),
      environmentClassification: classification,
      classificationEndTime: now.toISOString(),
      classificationDuration: formatGoDuration(elapsedNs(start, now)),
    },
  };
}

function routePhase(rp: RemediationProcessing, now: Date): PhaseStep {
  const classification = rp.status?.environmentClassification;
  if (!classification) {
    return {
      from: "routing",
      to: "failed",
      status: {
        ...enter("failed", now),
        completedAt: now.toISOString(),
        failedPhase: "routing",
        errorMessage: "routing needs the environment classification, which status does not hold",
      },
    };
  }
  const routing = route({
    environment: classification.environment,
    businessPriority: classification.businessPriority,
    fingerprint: rp.spec.signal.fingerprint,
  });
  return {
    from: "routing",
    to: "completed",
    status: { ...enter("completed", now), routing, completedAt: now.toISOString() },
  };
}

/** Conditions by type: the new one replaces the old one of its type (merge patch replaces the whole list). */
export function upsertCondition(conditions: readonly Condition[] | undefined, next: Condition): Condition[] {
  return [...(conditions ?? []).filter((c) => c.type !== next.type), next];
}
