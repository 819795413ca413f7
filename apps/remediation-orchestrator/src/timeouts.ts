import type { RemediationRequest } from "@kubernaut/crds";
import { parseGoDuration } from "@kubernaut/schema/contracts";
import type { ActivePhase } from "./lifecycle.js";
import type { OrchestratorSettings } from "./settings.js";

/** The phases that wait on a child, each with its own timeout. */
export type TimedPhase = "processing" | "analyzing" | "executing";

export interface Deadlines {
  /** When the current phase times out, if it has a timeout of its own. */
  phase?: number;
  /** When the whole remediation times out, counted from its start. */
  overall: number;
}

/** A timeout from the RemediationRequest's spec (a Go duration) or else the orchestrator's default, in ms. */
export function timeoutMs(
  rr: RemediationRequest,
  which: TimedPhase | "overall",
  settings: OrchestratorSettings,
): number {
  const fromSpec = rr.spec.timeouts?.[which];
  return fromSpec ? parseGoDuration(fromSpec) / 1e6 : settings.timeouts[which];
}

/** When the remediation started: its recorded start, else its creation. */
export function startedAt(rr: RemediationRequest, now: Date): number {
  const at = rr.status?.startTime ?? rr.metadata.creationTimestamp;
  return at ? Date.parse(at) : now.getTime();
}

export function deadlines(
  rr: RemediationRequest,
  phase: ActivePhase,
  settings: OrchestratorSettings,
  now: Date,
): Deadlines {
  const overall = startedAt(rr, now) + timeoutMs(rr, "overall", settings);
  if (phase === "pending") return { overall };
  const entered = rr.status?.phaseTransitions?.[phase];
  const enteredAt = entered ? Date.parse(entered) : now.getTime();
  return { phase: enteredAt + timeoutMs(rr, phase, settings), overall };
}

/** Milliseconds until the nearest deadline; 0 when one has passed. */
export function untilNextDeadline(d: Deadlines, now: Date): number {
  const next = Math.min(d.phase ?? Number.POSITIVE_INFINITY, d.overall);
  return Math.max(0, next - now.getTime());
}

/** True when the phase or the remediation as a whole ran out of time. */
export function hasTimedOut(d: Deadlines, now: Date): boolean {
  return untilNextDeadline(d, now) === 0;
}
