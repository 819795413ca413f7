import { describe, expect, it } from "vitest";
import { diffJson, diffWithPrevious, resourceKey, type TrailRecord } from "../../src/diff.js";

describe("diffJson", () => {
  it("lists changed leaves by path, nested child snapshots included", () => {
    const before = {
      overall_phase: "processing",
      service_crd_statuses: { remediationProcessing: { phase: "enriching", success: false } },
    };
    const after = {
      overall_phase: "analyzing",
      ai_analysis_name: "rr-1-analysis",
      service_crd_statuses: {
        remediationProcessing: { phase: "completed", success: true },
        aiAnalysis: { phase: "investigating", success: false },
      },
    };
    expect(diffJson(before, after)).toEqual([
      { path: "ai_analysis_name", kind: "added", after: "rr-1-analysis" },
      { path: "overall_phase", kind: "changed", before: "processing", after: "analyzing" },
      {
        path: "service_crd_statuses.aiAnalysis",
        kind: "added",
        after: { phase: "investigating", success: false },
      },
      {
        path: "service_crd_statuses.remediationProcessing.phase",
        kind: "changed",
        before: "enriching",
        after: "completed",
      },
      {
        path: "service_crd_statuses.remediationProcessing.success",
        kind: "changed",
        before: false,
        after: true,
      },
    ]);
  });

  it("compares arrays by index and reports a change of type at its own path", () => {
    expect(diffJson({ phases: ["a", "b"], x: { y: 1 } }, { phases: ["a"], x: "gone" })).toEqual([
      { path: "phases.1", kind: "removed", before: "b" },
      { path: "x", kind: "changed", before: { y: 1 }, after: "gone" },
    ]);
    expect(diffJson({ a: 1 }, { a: 1 })).toEqual([]);
    expect(diffJson(null, { a: 1 })).toEqual([{ path: "", kind: "changed", before: null, after: { a: 1 } }]);
  });
});

const record = (
  event_id: string,
  source: string,
  payload: Record<string, unknown>,
  correlation_id = "rr-1",
): TrailRecord => ({ event_id, correlation_id, source, occurred_at: "2026-12-01T10:00:00Z", payload });

describe("diffWithPrevious", () => {
  const trail = [
    record("1", "orchestrator", { event_id: "1", overall_phase: "pending" }),
    record("2", "processor", { remediation_id: "rr-1", status: "completed" }),
    record("3", "ai-analysis", { crd_namespace: "ns", crd_name: "a-1", trigger: "investigation_complete" }),
    record("4", "orchestrator", { event_id: "4", overall_phase: "processing" }),
    record("5", "ai-analysis", { crd_namespace: "ns", crd_name: "a-1", trigger: "analysis_complete" }),
    record("6", "orchestrator", { overall_phase: "pending" }, "rr-2"),
  ];

  it("diffs against the previous record of the same resource, not the previous record of the trail", () => {
    const result = diffWithPrevious(trail, trail[3]!);
    expect(result.previous?.event_id).toBe("1");
    // The envelope's event_id differs on every record and is no change of the resource.
    expect(result.changes).toEqual([
      { path: "overall_phase", kind: "changed", before: "pending", after: "processing" },
    ]);
    expect(diffWithPrevious(trail, trail[4]!).previous?.event_id).toBe("3");
  });

  it("treats the first record of a resource as all new, and keeps remediations apart", () => {
    const first = diffWithPrevious(trail, trail[1]!);
    expect(first.previous).toBeUndefined();
    expect(first.changes.map((c) => c.kind)).toEqual(["added", "added"]);
    expect(diffWithPrevious(trail, trail[5]!).previous).toBeUndefined();
    expect(resourceKey(trail[2]!)).toBe("ai-analysis/ns/a-1");
    expect(resourceKey(trail[5]!)).toBe("orchestrator/rr-2");
  });
});

describe("resource state across partial records", () => {
  it("diffs the merged state, so fields a trigger does not repeat are not reported as removed", () => {
    const trail = [
      record("1", "ai-analysis", {
        crd_namespace: "ns",
        crd_name: "a",
        trigger: "investigation_complete",
        root_cause_count: 1,
      }),
      record("2", "ai-analysis", {
        crd_namespace: "ns",
        crd_name: "a",
        trigger: "analysis_complete",
        confidence_score: 0.9,
      }),
    ];
    expect(diffWithPrevious(trail, trail[1]!).changes).toEqual([
      { path: "confidence_score", kind: "added", after: 0.9 },
      { path: "trigger", kind: "changed", before: "investigation_complete", after: "analysis_complete" },
    ]);
  });
});
