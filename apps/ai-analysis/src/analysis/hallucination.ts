import type { Recommendation, TargetResource } from "@kubernaut/crds";
import { ACTION_CATALOG, isCatalogAction } from "./action-catalog.js";

/** Answers whether an object exists in the cluster. Errors other than "not found" are thrown, not false. */
export interface ResourceLookup {
  exists(target: TargetResource): Promise<boolean>;
}

export interface HallucinatedRecommendation {
  recommendation: Recommendation;
  reason: string;
}

export interface HallucinationCheck {
  valid: Recommendation[];
  hallucinated: HallucinatedRecommendation[];
}

function describeTarget(t: TargetResource): string {
  return `${t.kind} ${t.namespace ? `${t.namespace}/` : ""}${t.name}`;
}

/** Why a recommendation could never be executed, judged without the cluster; undefined when it could. */
export function catalogProblem(recommendation: Recommendation): string | undefined {
  const { action, targetResource } = recommendation;
  if (!isCatalogAction(action)) return `action ${JSON.stringify(action)} is not in the action catalog`;
  if (!targetResource) return `${action} names no target resource`;
  const kinds: readonly string[] = ACTION_CATALOG[action].targetKinds;
  if (!kinds.includes(targetResource.kind)) {
    return `${action} cannot act on a ${targetResource.kind} (only ${kinds.join(", ")})`;
  }
  if (targetResource.kind !== "Node" && !targetResource.namespace) {
    return `${action} names ${describeTarget(targetResource)} without a namespace`;
  }
  return undefined;
}

/**
 * Splits recommendations into those that can run and those that are hallucinated: an action outside the
 * catalog, a kind the action cannot act on, or an object that does not exist in the cluster.
 */
export async function checkRecommendations(
  recommendations: readonly Recommendation[],
  lookup: ResourceLookup,
): Promise<HallucinationCheck> {
  const verdicts = await Promise.all(
    recommendations.map(async (recommendation) => {
      const problem = catalogProblem(recommendation);
      if (problem || !recommendation.targetResource) return { recommendation, reason: problem };
      const exists = await lookup.exists(recommendation.targetResource);
      return {
        recommendation,
        reason: exists
          ? undefined
          : `${describeTarget(recommendation.targetResource)} does not exist in the cluster`,
      };
    }),
  );
  const valid: Recommendation[] = [];
  const hallucinated: HallucinatedRecommendation[] = [];
  for (const { recommendation, reason } of verdicts) {
    if (reason === undefined) valid.push(recommendation);
    else hallucinated.push({ recommendation, reason });
  }
  return { valid, hallucinated };
}

/**
 * The analysis's confidence: the leading hypothesis's confidence, discounted by the share of recommendations
 * that had to be dropped, since a provider that invents objects or actions is less trustworthy overall.
 */
export function confidenceScore(topHypothesisConfidence: number, check: HallucinationCheck): number {
  const total = check.valid.length + check.hallucinated.length;
  const validShare = total === 0 ? 0 : check.valid.length / total;
  return Math.round(topHypothesisConfidence * (0.5 + 0.5 * validShare) * 100) / 100;
}
