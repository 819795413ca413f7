import type { RemediationRequest } from "@kubernaut/crds";
import { deletedEventId, phaseEventId } from "./event-id.js";
import { AUDIT_FINALIZER, isDuplicate, isFinished, isTerminal } from "./lifecycle.js";
import type { OrchestratorSettings } from "./settings.js";

/**
 * The record whose storage must be confirmed before the request may go: its terminal phase record, or,
 * for one deleted while still running, the record of its deletion. A duplicate has none of its own (its
 * original's record carries the duplicate count).
 */
export function finalEventId(rr: RemediationRequest): string | undefined {
  if (isDuplicate(rr)) return undefined;
  const uid = rr.metadata.uid ?? "";
  const phase = rr.status?.phase;
  return isTerminal(phase) ? phaseEventId(uid, phase) : deletedEventId(uid);
}

export type RetentionStep =
  /** Ask the storage service whether the final record is there, then come back after `requeueAfterMs`. */
  | { action: "confirm"; eventId: string; requeueAfterMs: number }
  /** Retention is over and the audit is safe: delete the request. */
  | { action: "delete" }
  | { action: "wait"; requeueAfterMs: number }
  | { action: "none" };

/** What retention does with a finished request that is not being deleted. */
export function retentionStep(
  rr: RemediationRequest,
  now: Date,
  settings: OrchestratorSettings,
): RetentionStep {
  if (!isFinished(rr)) return { action: "none" };
  const eventId = finalEventId(rr);
  if (eventId !== undefined && rr.status?.auditRecorded !== true) {
    return { action: "confirm", eventId, requeueAfterMs: settings.auditConfirmIntervalMs };
  }
  const expiry = rr.status?.retentionExpiryTime;
  const remaining = expiry ? Date.parse(expiry) - now.getTime() : 0;
  return remaining <= 0 ? { action: "delete" } : { action: "wait", requeueAfterMs: remaining };
}

export type DeletionStep =
  /** The finalizer may go: the audit is safe (or there is none to wait for). */
  | { action: "release" }
  | { action: "confirm"; eventId: string; requeueAfterMs: number }
  /** Waited `finalizerMaxWaitMs` without confirmation: release anyway, with a Warning event. */
  | { action: "give-up"; eventId: string }
  | { action: "none" };

/**
 * What the audit finalizer does with a request being deleted. It holds the deletion until the final
 * record is confirmed stored, or until `finalizerMaxWaitMs` after the deletion was asked.
 */
export function deletionStep(
  rr: RemediationRequest,
  now: Date,
  settings: OrchestratorSettings,
): DeletionStep {
  if (!rr.metadata.finalizers?.includes(AUDIT_FINALIZER)) return { action: "none" };
  const eventId = finalEventId(rr);
  if (eventId === undefined || (isTerminal(rr.status?.phase) && rr.status?.auditRecorded === true)) {
    return { action: "release" };
  }
  const askedAt = Date.parse(rr.metadata.deletionTimestamp ?? now.toISOString());
  if (now.getTime() - askedAt >= settings.finalizerMaxWaitMs) return { action: "give-up", eventId };
  return { action: "confirm", eventId, requeueAfterMs: settings.auditConfirmIntervalMs };
}
