import { createHash } from "node:crypto";

/**
 * A UUID (version 5 layout, SHA-1 of a name) that is the same every time for the same name, so a record
 * published again after a crash carries the same `event_id` and the storage service drops the copy.
 */
export function deterministicEventId(name: string): string {
  const hash = createHash("sha1").update(`kubernaut.ai/audit/${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The record of the remediation entering `phase`; for a terminal phase, the final record. */
export function phaseEventId(uid: string, phase: string): string {
  return deterministicEventId(`${uid}/remediation-orchestration/phase/${phase}`);
}

/** The record of the remediation's duplicate count reaching `count`. */
export function duplicatesEventId(uid: string, count: number): string {
  return deterministicEventId(`${uid}/remediation-orchestration/duplicates/${count}`);
}

/** The record of the remediation being deleted (`deleted_at`). */
export function deletedEventId(uid: string): string {
  return deterministicEventId(`${uid}/remediation-orchestration/deleted`);
}
