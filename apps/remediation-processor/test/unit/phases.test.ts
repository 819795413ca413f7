import type { RemediationProcessing, RemediationProcessingStatus } from "@kubernaut/crds";
import { remediationProcessingStatusSchema } from "@kubernaut/crds";
import { describe, expect, it } from "vitest";
import type { SignalContext } from "../../src/enrichment/context.js";
import { advance, type PhaseDependencies } from "../../src/phases.js";
import { oomContext, processing } from "./fixtures.js";

function deps(
  context: SignalContext,
  now = "2025-01-15T10:00:02Z",
): PhaseDependencies & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    gatherContext: async (_signal, sources) => {
      asked.push([...sources]);
      return context;
    },
    now: () => new Date(now),
  };
}

/** Applies a merge patch the way the API server does for the fields the processor writes. */
function merge(rp: RemediationProcessing, status: RemediationProcessingStatus): RemediationProcessing {
  const previous = rp.status ?? {};
  return {
    ...rp,
    status: {
      ...previous,
      ...status,
      phaseTransitions: { ...previous.phaseTransitions, ...status.phaseTransitions },
    },
  };
}

describe("advance", () => {
  it("walks enriching → classifying → routing → completed, one phase per call", async () => {
    let rp = processing();
    const d = deps(oomContext());
    const phases: string[] = [];
    for (let step = await advance(rp, d); step; step = await advance(rp, d)) {
      expect(remediationProcessingStatusSchema.parse(step.status)).toEqual(step.status);
      phases.push(`${step.from ?? ""}→${step.to}`);
      rp = merge(rp, step.status);
    }
    expect(phases).toEqual([
      "→enriching",
      "enriching→classifying",
      "classifying→routing",
      "routing→completed",
    ]);
    expect(d.asked).toEqual([["namespace", "workload", "pods", "events"]]);
    expect(rp.status).toMatchObject({
      phase: "completed",
      degradedMode: false,
      environmentClassification: {
        environment: "production",
        classificationMethod: "namespace-label",
        businessPriority: "P0",
        slaRequirement: "5m",
      },
      routing: {
        routedToService: "ai-analysis",
        routingPriority: 0,
        routingKey: "production.P0.mem-pressure-prod-123",
      },
      completedAt: "2025-01-15T10:00:02.000Z",
    });
    expect(Object.keys(rp.status?.phaseTransitions ?? {})).toEqual([
      "enriching",
      "classifying",
      "routing",
      "completed",
    ]);
  });

  it("measures enrichment from the time the phase was entered", async () => {
    const rp = processing({
      status: { phase: "enriching", phaseTransitions: { enriching: "2025-01-15T10:00:00Z" } },
    });
    const step = await advance(rp, deps(oomContext(), "2025-01-15T10:00:02.5Z"));
    expect(step?.status.enrichmentResults?.duration).toBe("2.5s");
    expect(step?.status.classificationStartTime).toBe("2025-01-15T10:00:02.500Z");
  });

  it("goes on in degraded mode when some sources fail", async () => {
    const context = oomContext();
    delete context.workload;
    context.outcomes.workload = { ok: false, reason: "not found" };
    const step = await advance(processing({ status: { phase: "enriching" } }), deps(context));
    expect(step?.to).toBe("classifying");
    expect(step?.status.degradedMode).toBe(true);
    expect(step?.status.conditions?.[0]).toMatchObject({
      type: "Enriched",
      status: "True",
      reason: "DegradedContext",
    });
  });

  it("fails when no source answered", async () => {
    const step = await advance(
      processing({ status: { phase: "enriching" } }),
      deps({ outcomes: { namespace: { ok: false, reason: "forbidden" } } }),
    );
    expect(step).toMatchObject({
      to: "failed",
      status: { phase: "failed", failedPhase: "enriching", degradedMode: true },
    });
    expect(step?.status.errorMessage).toContain("namespace (forbidden)");
  });

  it("does nothing once completed or failed", async () => {
    expect(await advance(processing({ status: { phase: "completed" } }), deps(oomContext()))).toBeUndefined();
    expect(await advance(processing({ status: { phase: "failed" } }), deps(oomContext()))).toBeUndefined();
  });
});
