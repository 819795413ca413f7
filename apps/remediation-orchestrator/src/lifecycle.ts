import type { RemediationRequest, RemediationRequestPhase } from "@kubernaut/crds";

export type TerminalPhase = "completed" | "failed" | "timeout";
export type ActivePhase = "pending" | "processing" | "analyzing" | "executing";

/** Set on every RemediationRequest at creation; blocks deletion until the final audit record is stored. */
export const AUDIT_FINALIZER = "kubernaut.ai/audit-finalizer";
/** Lets the orchestrator find every RemediationRequest of one alert with a label selector. */
export const FINGERPRINT_LABEL = "kubernaut.ai/fingerprint";
/** Names the RemediationRequest on the children the orchestrator creates. */
export const REMEDIATION_LABEL = "kubernaut.ai/remediation-request";

export function isTerminal(phase: RemediationRequestPhase | undefined): phase is TerminalPhase {
  return phase === "completed" || phase === "failed" || phase === "timeout";
}

/** A duplicate never runs: it records the remediation it duplicates and waits for retention. */
export function isDuplicate(rr: RemediationRequest): boolean {
  return rr.status?.duplicateOf !== undefined;
}

/** Nothing more will happen to it but retention. */
export function isFinished(rr: RemediationRequest): boolean {
  return isTerminal(rr.status?.phase) || isDuplicate(rr);
}

/** Running (or about to): the remediation a new signal with the same fingerprint duplicates. */
export function isActive(rr: RemediationRequest): boolean {
  return !isFinished(rr) && rr.metadata.deletionTimestamp === undefined;
}
