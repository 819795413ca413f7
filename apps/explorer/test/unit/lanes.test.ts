import { describe, expect, it } from "vitest";
import { labelGap, layoutTimeline, recordFlags, recordLabel, unsaidFlags } from "../../src/lanes.js";

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

  it("tells each mark where the next one of its row is, so that its label ends before it", () => {
    const orchestrator = layoutTimeline(trail, undefined, 0.2).lanes[0]!;
    expect(orchestrator.marks.map((m) => [m.id, m.row, m.next])).toEqual([
      ["o1", 0, 0.5],
      ["o2", 0, 1],
      ["o3", 1, undefined],
      ["o4", 0, undefined],
    ]);
    // Labels never run past the next mark: whatever the gap, a label's room is up to the next mark of its row.
    for (const lane of layoutTimeline(trail, undefined, 0.01).lanes)
      for (const mark of lane.marks) {
        const next = lane.marks.filter((m) => m.row === mark.row && m.x > mark.x).map((m) => m.x);
        expect(mark.next).toBe(next.length ? Math.min(...next) : undefined);
      }
  });

  it("needs a larger share of the span for a label on a narrower track", () => {
    expect(labelGap(1000)).toBeCloseTo(0.11);
    expect(labelGap(500)).toBeCloseTo(0.22);
    expect(labelGap(100)).toBe(0.5);
    // Two marks 15% of the span apart share a row on a wide track, not on a narrow one.
    const two = [
      event("o1", "orchestrator", "remediation-orchestration.pending", 0),
      event("o2", "orchestrator", "remediation-orchestration.processing", 3),
      event("o3", "orchestrator", "remediation-orchestration.completed", 20),
    ];
    const rows = (width: number) =>
      layoutTimeline(two, undefined, labelGap(width)).lanes[0]!.marks.map((m) => m.row);
    expect(rows(1000)).toEqual([0, 0, 0]);
    expect(rows(500)).toEqual([0, 1, 0]);
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

describe("unsaidFlags", () => {
  it("leaves out a flag the label says already", () => {
    expect(unsaidFlags({ label: "timeout", flags: ["timeout"] })).toEqual([]);
    expect(unsaidFlags({ label: "timed out in executing", flags: ["timeout"] })).toEqual([]);
    expect(unsaidFlags({ label: "analysis_failed", flags: ["failure"] })).toEqual([]);
    expect(unsaidFlags({ label: "processing", flags: ["duplicate"] })).toEqual(["duplicate"]);
    expect(unsaidFlags({ label: "failed", flags: ["failure", "timeout"] })).toEqual(["timeout"]);
  });
});

describe("legal holds", () => {
  it("are marked as holds, with a label that says so", () => {
    const placed = event("h1", "datastorage", "legal-hold.placed", 0);
    expect(recordLabel(placed.event_type)).toBe("legal hold placed");
    expect(recordFlags(placed)).toEqual(["hold"]);
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
