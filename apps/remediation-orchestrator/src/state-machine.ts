import type {
  AIAnalysis,
  Condition,
  ObjectReference,
  RemediationProcessing,
  RemediationRequest,
  RemediationRequestPhase,
  RemediationRequestStatus,
} from "@kubernaut/crds";
import { analysisName, buildAnalysis, buildProcessing, processingName } from "./children.js";
import { phaseEventId } from "./event-id.js";
import { type ActivePhase, isDuplicate, isTerminal, type TerminalPhase } from "./lifecycle.js";
import type { OrchestratorSettings } from "./settings.js";
import type { Children } from "./snapshots.js";
import { deadlines, hasTimedOut, untilNextDeadline } from "./timeouts.js";

/** A child to create before the status is written (creating one that exists is harmless). */
export type ChildToCreate =
  | { kind: "RemediationProcessing"; object: RemediationProcessing }
  | { kind: "AIAnalysis"; object: AIAnalysis };

/** What one reconcile does: create a child, write a phase change to status, wake up again later. */
export interface Decision {
  create?: ChildToCreate;
  /** The phase entered, when the status patch records a phase change. */
  to?: RemediationRequestPhase;
  status?: RemediationRequestStatus;
  requeueAfterMs?: number;
}

export const AUDIT_RECORDED_CONDITION = "AuditRecorded";

/**
 * The orchestrator's state machine: pending → processing → analyzing → executing → completed, leaving for
 * failed when a child fails and for timeout when a phase or the whole remediation runs out of time. It reads
 * the children as they are now and never does I/O itself.
 */
export function decide(
  rr: RemediationRequest,
  children: Children,
  now: Date,
  settings: OrchestratorSettings,
): Decision {
  const phase = rr.status?.phase;
  if (isTerminal(phase) || isDuplicate(rr)) return {};
  if (phase === undefined) {
    return {
      to: "pending",
      status: { ...enter("pending", now), startTime: rr.metadata.creationTimestamp ?? now.toISOString() },
    };
  }
  const progress = progressOf(rr, phase, children, now, settings);
  if (progress.to) return progress;
  const limits = deadlines(rr, phase, settings, now);
  if (hasTimedOut(limits, now))
    return finish(rr, "timeout", now, settings, { timeoutPhase: phase, timeoutTime: now.toISOString() });
  return { ...progress, requeueAfterMs: untilNextDeadline(limits, now) };
}

/** The move the children allow from `phase`, without regard to time. */
function progressOf(
  rr: RemediationRequest,
  phase: ActivePhase,
  children: Children,
  now: Date,
  settings: OrchestratorSettings,
): Decision {
  const ns = rr.metadata.namespace ?? "";
  switch (phase) {
    case "pending":
      return {
        create: { kind: "RemediationProcessing", object: buildProcessing(rr) },
        to: "processing",
        status: {
          ...enter("processing", now),
          remediationProcessingRef: { name: processingName(rr), namespace: ns },
        },
      };
    case "processing": {
      const processing = children.processing;
      if (!processing) return { create: { kind: "RemediationProcessing", object: buildProcessing(rr) } };
      if (processing.status?.phase === "failed") {
        return fail(
          rr,
          "processing",
          `remediation processing failed: ${processing.status.errorMessage ?? "no reason given"}`,
          now,
          settings,
        );
      }
      if (processing.status?.phase !== "completed") return {};
      return {
        create: { kind: "AIAnalysis", object: buildAnalysis(rr, processing) },
        to: "analyzing",
        status: { ...enter("analyzing", now), aiAnalysisRef: { name: analysisName(rr), namespace: ns } },
      };
    }
    case "analyzing": {
      const analysis = children.analysis;
      if (!analysis)
        return { create: { kind: "AIAnalysis", object: buildAnalysis(rr, children.processing) } };
      if (analysis.status?.phase === "failed") {
        return fail(
          rr,
          "analyzing",
          `AI analysis failed: ${analysis.status.failureReason ?? "no reason given"}`,
          now,
          settings,
        );
      }
      const workflow = workflowReference(analysis, children, ns);
      if (analysis.status?.phase !== "completed" || !workflow) return {};
      return { to: "executing", status: { ...enter("executing", now), workflowExecutionRef: workflow } };
    }
    case "executing": {
      const workflow = children.workflow;
      if (workflow?.status?.phase === "completed") return finish(rr, "completed", now, settings, {});
      if (workflow?.status?.phase === "failed") {
        return fail(
          rr,
          "executing",
          `workflow execution failed: ${workflow.status.message ?? "no reason given"}`,
          now,
          settings,
        );
      }
      return {};
    }
  }
}

/** The workflow AI analysis started: the one its status names, else one found pointing back at the request. */
function workflowReference(
  analysis: AIAnalysis,
  children: Children,
  ns: string,
): ObjectReference | undefined {
  if (analysis.status?.workflowExecutionRef) return analysis.status.workflowExecutionRef;
  const found = children.workflow?.metadata.name;
  return found ? { name: found, namespace: children.workflow?.metadata.namespace ?? ns } : undefined;
}

function enter(phase: RemediationRequestPhase, now: Date): RemediationRequestStatus {
  return { phase, phaseTransitions: { [phase]: now.toISOString() } };
}

function fail(
  rr: RemediationRequest,
  failedPhase: ActivePhase,
  errorMessage: string,
  now: Date,
  settings: OrchestratorSettings,
): Decision {
  return finish(rr, "failed", now, settings, { failedPhase, errorMessage });
}

/**
 * Enters a terminal phase: completion time, retention expiry, and the AuditRecorded condition naming the
 * final record's event id, which retention waits to see stored before the resource may go.
 */
function finish(
  rr: RemediationRequest,
  phase: TerminalPhase,
  now: Date,
  settings: OrchestratorSettings,
  extra: RemediationRequestStatus,
): Decision {
  const eventId = phaseEventId(rr.metadata.uid ?? "", phase);
  const condition: Condition = {
    type: AUDIT_RECORDED_CONDITION,
    status: "False",
    reason: "AwaitingStorage",
    message: `final audit record ${eventId} not yet confirmed by the storage service`,
    lastTransitionTime: now.toISOString(),
  };
  return {
    to: phase,
    status: {
      ...enter(phase, now),
      ...extra,
      completedAt: now.toISOString(),
      retentionExpiryTime: new Date(now.getTime() + settings.retentionMs).toISOString(),
      auditRecorded: false,
      conditions: upsertCondition(rr.status?.conditions, condition),
    },
  };
}

/** Conditions by type: the new one replaces the old one of its type (merge patch replaces the whole list). */
export function upsertCondition(conditions: readonly Condition[] | undefined, next: Condition): Condition[] {
  return [...(conditions ?? []).filter((c) => c.type !== next.type), next];
}
