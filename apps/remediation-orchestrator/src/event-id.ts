import { deterministicEventId } from "@kubernaut/schema/contracts";

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
