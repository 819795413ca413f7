import type { Recommendation } from "@kubernaut/crds";
import { describe, expect, it } from "vitest";
import { blendEffectiveness, rankRecommendations } from "../../src/recommending/ranking.js";

const memory: Recommendation = { action: "increase-memory-limit", effectivenessProbability: 0.85, rank: 1 };
const restart: Recommendation = { action: "restart-pod", effectivenessProbability: 0.35, rank: 2 };

describe("ranking by blended effectiveness", () => {
  it("weighs the estimate as k observations against n recorded outcomes", () => {
    expect(blendEffectiveness(0.8, { successRate: 0.2, sampleCount: 10 }, 10)).toBeCloseTo(0.5);
    expect(blendEffectiveness(0.8, { successRate: 0.2, sampleCount: 30 }, 10)).toBeCloseTo(0.35);
    expect(blendEffectiveness(0.8, { successRate: 0.2, sampleCount: 0 }, 10)).toBe(0.8);
    expect(blendEffectiveness(0.8, undefined, 10)).toBe(0.8);
  });

  it("keeps the investigator's order and leaves historicalSuccessRate unset without history", () => {
    const ranked = rankRecommendations([memory, restart], new Map());
    expect(ranked.map((r) => [r.action, r.rank, r.effectivenessProbability])).toEqual([
      ["increase-memory-limit", 1, 0.85],
      ["restart-pod", 2, 0.35],
    ]);
    expect(ranked.every((r) => r.historicalSuccessRate === undefined)).toBe(true);
  });

  it("reorders when history shows the estimated best action failing and another succeeding", () => {
    const history = new Map([
      ["increase-memory-limit", { successRate: 0, sampleCount: 10 }],
      ["restart-pod", { successRate: 1, sampleCount: 10 }],
    ]);
    const ranked = rankRecommendations([memory, restart], history, 10);
    expect(ranked).toEqual([
      { action: "restart-pod", effectivenessProbability: 0.68, historicalSuccessRate: 1, rank: 1 },
      { action: "increase-memory-limit", effectivenessProbability: 0.43, historicalSuccessRate: 0, rank: 2 },
    ]);
  });

  it("barely moves an estimate on a handful of outcomes", () => {
    const history = new Map([["increase-memory-limit", { successRate: 0, sampleCount: 1 }]]);
    const ranked = rankRecommendations([memory, restart], history, 10);
    expect(ranked[0]).toMatchObject({ action: "increase-memory-limit", effectivenessProbability: 0.77 });
  });
});
