import { exponentialDelay } from "@kubernaut/common";
import type { AIAnalysis, AIAnalysisStatus } from "@kubernaut/crds";
import type { InvestigationProviderError } from "../investigation/findings.js";
import { failAnalysis, type Transition } from "./transitions.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Failed investigation attempts so far, from status, so that a restart neither resets nor forgets them. */
export function failedAttempts(analysis: AIAnalysis): number {
  return analysis.status?.investigationAttempts ?? 0;
}

/**
 * How long until the next attempt is due; 0 when it is due now. Recording a failed attempt is itself a
 * change that reconciles the object again at once, so the backoff is enforced here, not only by the
 * requeue delay.
 */
export function untilNextAttemptMs(analysis: AIAnalysis, now: Date): number {
  const due = Date.parse(analysis.status?.nextInvestigationTime ?? "");
  return Number.isNaN(due) ? 0 : Math.max(0, due - now.getTime());
}

/** The status recording a failed attempt and when to try again. */
export function retryStatus(failures: number, delayMs: number, now: Date): AIAnalysisStatus {
  return {
    investigationAttempts: failures,
    nextInvestigationTime: new Date(now.getTime() + delayMs).toISOString(),
  };
}

/** Exponential backoff: base, 2·base, 4·base … capped. `failures` counts the attempts that failed so far (at least 1). */
export function retryDelayMs(policy: RetryPolicy, failures: number): number {
  return exponentialDelay(failures, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs });
}

export type InvestigationFailureDecision =
  | { kind: "retry"; failures: number; delayMs: number }
  | { kind: "fail"; transition: Transition };

/**
 * After a failed attempt: try again later while attempts remain and the error is worth retrying, else fail
 * the analysis (as `timeout` when the provider never answered in time).
 */
export function decideAfterFailure(
  analysis: AIAnalysis,
  error: InvestigationProviderError,
  policy: RetryPolicy,
  now: Date,
): InvestigationFailureDecision {
  const failures = failedAttempts(analysis) + 1;
  if (error.retryable && failures < policy.maxAttempts) {
    return { kind: "retry", failures, delayMs: retryDelayMs(policy, failures) };
  }
  const attempts = error.retryable ? `after ${failures} attempts` : "(not retryable)";
  const reason = `investigation failed ${attempts}: ${error.message}`;
  const completion = error.reason === "timeout" ? "timeout" : "failed";
  return { kind: "fail", transition: failAnalysis(analysis, "investigating", reason, now, completion) };
}
