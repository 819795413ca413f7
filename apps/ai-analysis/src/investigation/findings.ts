import { z } from "zod";

const probability = z.number().min(0).max(1);

/** The Kubernetes object a recommended action acts on. `namespace` is null for cluster-scoped kinds. */
export const RecommendedTarget = z.strictObject({
  kind: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63).nullable(),
});
export type RecommendedTarget = z.infer<typeof RecommendedTarget>;

export const RootCauseFinding = z.strictObject({
  hypothesis: z.string().min(1).max(255),
  confidence: probability,
  evidence: z.array(z.string().min(1)),
});
export type RootCauseFinding = z.infer<typeof RootCauseFinding>;

export const RecommendedAction = z.strictObject({
  /** Should name an action of the catalog; anything else is flagged as a hallucination during analysis. */
  action: z.string().min(1).max(255),
  targetResource: RecommendedTarget,
  /** The investigator's own estimate that the action resolves the signal, before any history is applied. */
  effectivenessEstimate: probability,
  rationale: z.string().min(1),
  parameters: z.record(z.string(), z.string()),
});
export type RecommendedAction = z.infer<typeof RecommendedAction>;

/**
 * What every investigation provider returns. Strict and with every field required, so the same schema
 * serves as the JSON schema of a chat model's structured output.
 */
export const InvestigationFindings = z.strictObject({
  rootCauseHypotheses: z.array(RootCauseFinding).min(1),
  investigationReport: z.string().min(1),
  recommendations: z.array(RecommendedAction),
});
export type InvestigationFindings = z.infer<typeof InvestigationFindings>;

/**
 * Why a provider produced no findings. `retryable` failures (timeouts, 5xx, 429, unreadable model output)
 * are attempted again with backoff; the others fail the analysis at once.
 */
export class InvestigationProviderError extends Error {
  override name = "InvestigationProviderError";
  readonly reason: "timeout" | "unavailable" | "rejected" | "malformed";
  readonly retryable: boolean;

  constructor(reason: InvestigationProviderError["reason"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.retryable = reason !== "rejected";
  }
}
