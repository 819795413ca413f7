import type { Recommendation, TargetResource } from "@kubernaut/crds";
import { describe, expect, it } from "vitest";
import {
  catalogProblem,
  checkRecommendations,
  confidenceScore,
  type ResourceLookup,
} from "../../src/analysis/hallucination.js";

/** A cluster holding exactly these objects. */
function clusterWith(...objects: TargetResource[]): ResourceLookup & { asked: TargetResource[] } {
  const asked: TargetResource[] = [];
  return {
    asked,
    async exists(target) {
      asked.push(target);
      return objects.some(
        (o) =>
          o.kind === target.kind &&
          o.name === target.name &&
          (o.namespace ?? "") === (target.namespace ?? ""),
      );
    },
  };
}

const deployment: TargetResource = { kind: "Deployment", name: "api", namespace: "payments" };
const pod: TargetResource = { kind: "Pod", name: "api-1", namespace: "payments" };

function rec(action: string, targetResource: TargetResource | undefined, rank = 1): Recommendation {
  return { action, targetResource, effectivenessProbability: 0.8, rank };
}

describe("hallucination detection", () => {
  it("keeps catalog actions on objects that exist", async () => {
    const check = await checkRecommendations(
      [rec("increase-memory-limit", deployment), rec("restart-pod", pod, 2)],
      clusterWith(deployment, pod),
    );
    expect(check.valid.map((r) => r.action)).toEqual(["increase-memory-limit", "restart-pod"]);
    expect(check.hallucinated).toEqual([]);
  });

  it("drops a recommendation whose target does not exist in the cluster", async () => {
    const ghost = { kind: "Deployment", name: "api-v2", namespace: "payments" };
    const check = await checkRecommendations(
      [rec("increase-memory-limit", ghost), rec("restart-pod", pod, 2)],
      clusterWith(deployment, pod),
    );
    expect(check.valid.map((r) => r.action)).toEqual(["restart-pod"]);
    expect(check.hallucinated[0]?.reason).toBe("Deployment payments/api-v2 does not exist in the cluster");
  });

  it("drops an action outside the catalog without asking the cluster", async () => {
    const cluster = clusterWith(deployment);
    const check = await checkRecommendations([rec("delete-namespace", deployment)], cluster);
    expect(check.valid).toEqual([]);
    expect(check.hallucinated[0]?.reason).toBe('action "delete-namespace" is not in the action catalog');
    expect(cluster.asked).toEqual([]);
  });

  it("names what is wrong with a kind the action cannot act on, a missing target or namespace", () => {
    expect(catalogProblem(rec("cordon-node", pod))).toBe("cordon-node cannot act on a Pod (only Node)");
    expect(catalogProblem(rec("restart-pod", undefined))).toBe("restart-pod names no target resource");
    expect(catalogProblem(rec("restart-pod", { kind: "Pod", name: "x" }))).toBe(
      "restart-pod names Pod x without a namespace",
    );
    expect(catalogProblem(rec("drain-node", { kind: "Node", name: "node-1" }))).toBeUndefined();
  });

  it("lets a lookup failure through instead of calling the recommendation a hallucination", async () => {
    const failing: ResourceLookup = {
      exists: () => Promise.reject(new Error("the API server is unavailable")),
    };
    await expect(checkRecommendations([rec("restart-pod", pod)], failing)).rejects.toThrow(/unavailable/);
  });

  it("discounts the confidence by the share of recommendations dropped", () => {
    const valid = [rec("restart-pod", pod)];
    const dropped = { recommendation: rec("x", pod), reason: "r" };
    expect(confidenceScore(0.9, { valid, hallucinated: [] })).toBe(0.9);
    expect(confidenceScore(0.9, { valid, hallucinated: [dropped] })).toBe(0.68);
    expect(confidenceScore(0.9, { valid: [], hallucinated: [dropped] })).toBe(0.45);
  });
});
