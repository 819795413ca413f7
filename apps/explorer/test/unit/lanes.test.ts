import { describe, expect, it } from "vitest";
import { layoutTimeline, recordFlags } from "../../src/lanes.js";

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, seconds)).toISOString();

function event(
  id: string,
  source: string,
  type: string,
  seconds: number,
  payload: Record<string, unknown> = {},
) {
  return {
    event_id: id,
    correlation_id: "rr-1",
    source,
    event_type: type,
    occurred_at: at(seconds),
    payload,
  };
}

const workflow = (phase: string, extra: Record<string, unknown> = {}) => ({
  service_crd_statuses: { workflowExecution: { phase, success: phase === "completed", ...extra } },
});

describe("layoutTimeline", () => {
  const trail = [
    event("o1", "orchestrator", "remediation-orchestration.pending", 0),
    event("p1", "processor", "alert-processing.completed", 10),
    event("a1", "ai-analysis", "ai-analysis.workflow_created", 40, { workflow_crd_name: "wf-1" }),
    event("o2", "orchestrator", "remediation-orchestration.executing", 50, workflow("running")),
    event("o3", "orchestrator", "remediation-orchestration.executing", 60, workflow("running")),
    event("o4", "orchestrator", "remediation-orchestration.completed", 100, workflow("completed")),
  ];

  it("puts each record in its controller's lane at its time, and the workflow's phases in their own lane", () => {
    const layout = layoutTimeline(trail);
    const lane = (name: string) => layout.lanes.find((l) => l.lane === name)!;
    expect(layout.lanes.map((l) => l.lane)).toEqual(["orchestrator", "processor", "ai-analysis", "workflow"]);
    expect(lane("orchestrator").marks.map((m) => [m.id, m.x])).toEqual([
      ["o1", 0],
      ["o2", 0.5],
      ["o3", 0.6],
      ["o4", 1],
    ]);
    expect(lane("processor").marks.map((m) => [m.label, m.x])).toEqual([["completed", 0.1]]);
    // A snapshot repeating the same phase is no new mark; each workflow mark opens the record that reported it.
    expect(lane("workflow").marks.map((m) => [m.label, m.eventId, m.x])).toEqual([
      ["created wf-1", "a1", 0.4],
      ["running", "o2", 0.5],
      ["completed", "o4", 1],
    ]);
  });

  it("stacks marks that are closer than the gap on separate rows", () => {
    const layout = layoutTimeline(trail, undefined, 0.2);
    const orchestrator = layout.lanes[0]!;
    expect(orchestrator.marks.map((m) => m.row)).toEqual([0, 0, 1, 0]);
    expect(orchestrator.rows).toBe(2);
    expect(layout.lanes[1]!.rows).toBe(1);
  });

  it("shows failures, timeouts and duplicates where they happened", () => {
    const failing = [
      event("o1", "orchestrator", "remediation-orchestration.pending", 0),
      event("o2", "orchestrator", "remediation-orchestration.processing", 5, { duplicate_count: 2 }),
      event("a1", "ai-analysis", "ai-analysis.analysis_failed", 20),
      event("o3", "orchestrator", "remediation-orchestration.failed", 30, {
        overall_phase: "failed",
        failure_phase: "analyzing",
        ...workflow("failed", { error: "boom" }),
      }),
    ];
    const layout = layoutTimeline(failing, {
      duplicate_count: 3,
      last_duplicate_time: at(25),
      timeout_phase: "analyzing",
      timeout_time: at(28),
    });
    const flags = Object.fromEntries(layout.lanes.flatMap((l) => l.marks.map((m) => [m.id, m.flags])));
    expect(flags).toMatchObject({
      o1: [],
      o2: ["duplicate"],
      a1: ["failure"],
      o3: ["failure"],
      "o3#workflow": ["failure"],
      duplicates: ["duplicate"],
      timeout: ["timeout"],
    });
    const duplicates = layout.lanes[0]!.marks.find((m) => m.id === "duplicates")!;
    expect(duplicates.label).toBe("3 duplicate alerts");
    expect(duplicates.x).toBeCloseTo(25 / 30);
  });

  it("centres a single record and lays out an empty trail without marks", () => {
    const single = layoutTimeline([event("o1", "orchestrator", "remediation-orchestration.pending", 0)]);
    expect(single.lanes[0]!.marks[0]!.x).toBe(0.5);
    expect(layoutTimeline([]).lanes.every((l) => l.marks.length === 0)).toBe(true);
  });
});

describe("recordFlags", () => {
  it("reads failure and timeout from the record", () => {
    expect(recordFlags(event("x", "processor", "alert-processing.failed", 0))).toEqual(["failure"]);
    expect(
      recordFlags(
        event("x", "orchestrator", "remediation-orchestration.timeout", 0, {
          overall_phase: "timeout",
          timeout_phase: "executing",
        }),
      ),
    ).toEqual(["timeout"]);
    expect(
      recordFlags(
        event("x", "orchestrator", "remediation-orchestration.completed", 0, { overall_phase: "completed" }),
      ),
    ).toEqual([]);
  });
});
