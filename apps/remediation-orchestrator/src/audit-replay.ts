import type { RemediationRequest, RemediationRequestPhase, RemediationRequestStatus } from "@kubernaut/crds";
import { duplicatesEventId, phaseEventId } from "./event-id.js";
import { isDuplicate, isTerminal } from "./lifecycle.js";
import type { Children } from "./snapshots.js";

/** One record a request's status implies: its event id, and the request and children as they stood then. */
export interface ImpliedRecord {
  eventId: string;
  rr: RemediationRequest;
  children: Children;
  /** When it happened: the phase's entry time, or now for the duplicate count. */
  occurredAt?: string;
}

const ACTIVE_ORDER: readonly RemediationRequestPhase[] = ["pending", "processing", "analyzing", "executing"];

/**
 * Every record a request's status implies: one per phase it entered (`phaseTransitions`), each built from
 * the status as it read in that phase (the phase, the children named by then; the terminal one from the
 * whole status), and the record of its duplicate count. What a process that never saw the request before
 * publishes again, in case the one that wrote the status died before the records reached storage. Their
 * `occurred_at` is the phase's entry time, so a late copy never overwrites a newer projection row.
 */
export function impliedRecords(rr: RemediationRequest, children: Children): ImpliedRecord[] {
  if (isDuplicate(rr)) return [];
  const status = rr.status ?? {};
  const uid = rr.metadata.uid ?? "";
  const entered = status.phaseTransitions ?? {};
  const records: ImpliedRecord[] = [];
  for (const phase of ACTIVE_ORDER) {
    const at = entered[phase];
    if (at === undefined) continue;
    records.push({
      eventId: phaseEventId(uid, phase),
      rr: { ...rr, status: asOf(status, phase) },
      children: childrenAsOf(children, phase),
      occurredAt: at,
    });
  }
  if (isTerminal(status.phase) && entered[status.phase]) {
    records.push({
      eventId: phaseEventId(uid, status.phase),
      rr,
      children,
      occurredAt: entered[status.phase],
    });
  }
  if (status.duplicateCount) {
    records.push({ eventId: duplicatesEventId(uid, status.duplicateCount), rr, children });
  }
  return records;
}

/** What the status read while the request was in an active `phase`. */
function asOf(status: RemediationRequestStatus, phase: RemediationRequestPhase): RemediationRequestStatus {
  const reached = ACTIVE_ORDER.slice(0, ACTIVE_ORDER.indexOf(phase) + 1);
  const then: RemediationRequestStatus = {
    phase,
    phaseTransitions: Object.fromEntries(
      reached.flatMap((p) => (status.phaseTransitions?.[p] ? [[p, status.phaseTransitions[p]]] : [])),
    ),
  };
  if (status.startTime) then.startTime = status.startTime;
  if (reached.includes("processing") && status.remediationProcessingRef)
    then.remediationProcessingRef = status.remediationProcessingRef;
  if (reached.includes("analyzing") && status.aiAnalysisRef) then.aiAnalysisRef = status.aiAnalysisRef;
  if (reached.includes("executing") && status.workflowExecutionRef)
    then.workflowExecutionRef = status.workflowExecutionRef;
  return then;
}

/** The children that existed in `phase` (each as it is now: their past status is not kept). */
function childrenAsOf(children: Children, phase: RemediationRequestPhase): Children {
  const then: Children = {};
  const index = ACTIVE_ORDER.indexOf(phase);
  if (index >= 1 && children.processing) then.processing = children.processing;
  if (index >= 2 && children.analysis) then.analysis = children.analysis;
  if (index >= 3 && children.workflow) then.workflow = children.workflow;
  return then;
}
