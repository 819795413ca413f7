import type { Recommendation } from "@kubernaut/crds";

/** How an action fared in past remediations of the same environment. */
export interface ActionHistory {
  /** Share of the remediations that ran the action and succeeded, 0..1. */
  successRate: number;
  /** How many finished remediations the rate is computed from. */
  sampleCount: number;
}

export type ActionHistoryByAction = ReadonlyMap<string, ActionHistory>;

/**
 * How many past outcomes the investigator's own estimate is worth. With 10, ten recorded outcomes weigh as
 * much as the estimate: a new action is ranked on the estimate, a well-tried one on its track record.
 */
export const DEFAULT_PRIOR_WEIGHT = 10;

/**
 * The Bayesian blend `(p·k + s·n) / (k + n)` of an estimate `p` (worth `k` observations) with an observed
 * success rate `s` over `n` outcomes.
 */
export function blendEffectiveness(
  estimate: number,
  history: ActionHistory | undefined,
  priorWeight: number,
): number {
  if (!history || history.sampleCount <= 0) return estimate;
  const { successRate, sampleCount } = history;
  return (estimate * priorWeight + successRate * sampleCount) / (priorWeight + sampleCount);
}

/**
 * Ranks recommendations by effectiveness probability, blending each estimate with the action's history. The
 * estimates come in as `effectivenessProbability`; the blend replaces them and `historicalSuccessRate`
 * records the history used. Ties keep the investigator's order. Without history the estimates rank alone.
 */
export function rankRecommendations(
  recommendations: readonly Recommendation[],
  history: ActionHistoryByAction,
  priorWeight: number = DEFAULT_PRIOR_WEIGHT,
): Recommendation[] {
  return recommendations
    .map((recommendation, index) => {
      const past = history.get(recommendation.action);
      const blended = round2(blendEffectiveness(recommendation.effectivenessProbability, past, priorWeight));
      const { historicalSuccessRate: _previous, ...rest } = recommendation;
      const ranked: Recommendation = { ...rest, effectivenessProbability: blended };
      if (past && past.sampleCount > 0) ranked.historicalSuccessRate = round2(past.successRate);
      return { ranked, index };
    })
    .sort(
      (a, b) => b.ranked.effectivenessProbability - a.ranked.effectivenessProbability || a.index - b.index,
    )
    .map(({ ranked }, i) => ({ ...ranked, rank: i + 1 }));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
