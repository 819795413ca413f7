import type { TrailRecord } from "./diff.js";

export const LANES = ["orchestrator", "processor", "ai-analysis", "workflow"] as const;
export type Lane = (typeof LANES)[number];

export const LANE_LABELS: Record<Lane, string> = {
  orchestrator: "Orchestrator",
  processor: "Processor",
  "ai-analysis": "AI analysis",
  workflow: "Workflow",
};

export type MarkFlag = "failure" | "timeout" | "duplicate" | "hold";

/** A point on the timeline. Workflow marks are read from the orchestrator's child snapshots, so they point at it. */
export interface TimelineMark {
  /** Unique on the page; a record's own mark is its `event_id`. */
  id: string;
  lane: Lane;
  time: number;
  label: string;
  /** The record opened when the mark is chosen. */
  eventId: string;
  flags: MarkFlag[];
  /** 0…1 across the timeline's span. */
  x: number;
  /** Stacking row within the lane, so marks close in time do not cover each other. */
  row: number;
  /** `x` of the next mark in the same row (its label ends before it), or undefined for the row's last mark. */
  next?: number;
}

export interface TimelineLayout {
  start: number;
  end: number;
  lanes: { lane: Lane; rows: number; marks: TimelineMark[] }[];
}

/** What the remediation's row adds: duplicates of the alert arrive as a counter, not as records. */
export interface RemediationSummary {
  duplicate_count?: number | null;
  last_duplicate_time?: string | null;
  timeout_time?: string | null;
  timeout_phase?: string | null;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The short label of a record: its event type without the source prefix (a legal hold says so). */
export function recordLabel(eventType: string): string {
  if (eventType.startsWith("legal-hold.")) return `legal hold ${eventType.slice("legal-hold.".length)}`;
  const dot = eventType.indexOf(".");
  return dot === -1 ? eventType : eventType.slice(dot + 1);
}

/** Failure and timeout as the record itself states them. */
export function recordFlags(record: TrailRecord & { event_type: string }): MarkFlag[] {
  const p = record.payload;
  const flags: MarkFlag[] = [];
  const failed =
    /(^|[._])failed$/.test(record.event_type) ||
    p.overall_phase === "failed" ||
    p.status === "failed" ||
    p.completion_status === "failed" ||
    text(p.failure_phase) !== undefined;
  if (failed) flags.push("failure");
  if (text(p.timeout_phase) !== undefined || p.overall_phase === "timeout") flags.push("timeout");
  if (record.event_type.startsWith("legal-hold.")) flags.push("hold");
  return flags;
}

type Unplaced = Omit<TimelineMark, "x" | "row">;

/** The workflow lane: each change of the WorkflowExecution snapshot the orchestrator reported, and its creation. */
function workflowMarks(trail: readonly (TrailRecord & { event_type: string })[]): Unplaced[] {
  const marks: Unplaced[] = [];
  let lastPhase: string | undefined;
  for (const record of trail) {
    if (record.event_type === "ai-analysis.workflow_created") {
      const name = text(record.payload.workflow_crd_name);
      marks.push({
        id: `${record.event_id}#workflow`,
        lane: "workflow",
        time: Date.parse(record.occurred_at),
        label: name ? `created ${name}` : "created",
        eventId: record.event_id,
        flags: [],
      });
    }
    if (record.source !== "orchestrator") continue;
    const statuses = record.payload.service_crd_statuses;
    const snapshot = isObject(statuses) ? statuses.workflowExecution : undefined;
    if (!isObject(snapshot)) continue;
    const phase = text(snapshot.phase);
    if (phase === undefined || phase === lastPhase) continue;
    lastPhase = phase;
    const failed = phase === "failed" || (snapshot.success === false && text(snapshot.error) !== undefined);
    marks.push({
      id: `${record.event_id}#workflow`,
      lane: "workflow",
      time: Date.parse(record.occurred_at),
      label: phase,
      eventId: record.event_id,
      flags: failed ? ["failure"] : [],
    });
  }
  return marks;
}

/** The share of the span a label needs on a track `trackWidth` pixels wide (about 110 px), at most half of it. */
export function labelGap(trackWidth: number): number {
  return trackWidth > 0 ? Math.min(0.5, 110 / trackWidth) : 0.12;
}

/** The flags a mark's label does not say already ("timeout" on a mark labelled timeout is said once). */
export function unsaidFlags(mark: Pick<TimelineMark, "label" | "flags">): MarkFlag[] {
  const label = mark.label.toLowerCase();
  const said: Record<MarkFlag, string[]> = {
    failure: ["fail"],
    timeout: ["timeout", "timed out"],
    duplicate: ["duplicate"],
    hold: ["hold"],
  };
  return mark.flags.filter((flag) => !said[flag].some((word) => label.includes(word)));
}

/**
 * Lays out a remediation's trail (ordered by time) as swimlanes: a mark per record in its controller's lane,
 * the workflow's phases in their own lane, duplicates at the time the last one arrived. Marks closer than
 * `minGap` (a fraction of the span: `labelGap` of the track's width) in one lane go on separate rows, and each
 * mark knows where the next one of its row is, so that its label ends before it.
 */
export function layoutTimeline(
  trail: readonly (TrailRecord & { event_type: string })[],
  remediation?: RemediationSummary,
  minGap = 0.12,
): TimelineLayout {
  const marks: Unplaced[] = [];
  let previousDuplicates = 0;
  for (const record of trail) {
    const lane = (LANES as readonly string[]).includes(record.source)
      ? (record.source as Lane)
      : "orchestrator";
    const flags = recordFlags(record);
    const duplicates = record.payload.duplicate_count;
    if (record.source === "orchestrator" && typeof duplicates === "number") {
      if (duplicates > previousDuplicates) flags.push("duplicate");
      previousDuplicates = Math.max(previousDuplicates, duplicates);
    }
    marks.push({
      id: record.event_id,
      lane,
      time: Date.parse(record.occurred_at),
      label: recordLabel(record.event_type),
      eventId: record.event_id,
      flags,
    });
  }
  marks.push(...workflowMarks(trail));
  const anchor = trail.find((r) => r.source === "orchestrator") ?? trail[0];
  const duplicateTime = remediation?.last_duplicate_time ? Date.parse(remediation.last_duplicate_time) : NaN;
  const count = remediation?.duplicate_count ?? 0;
  if (anchor !== undefined && count > previousDuplicates && !Number.isNaN(duplicateTime)) {
    marks.push({
      id: "duplicates",
      lane: "orchestrator",
      time: duplicateTime,
      label: `${count} duplicate alert${count === 1 ? "" : "s"}`,
      eventId: anchor.event_id,
      flags: ["duplicate"],
    });
  }
  const timeoutTime = remediation?.timeout_time ? Date.parse(remediation.timeout_time) : NaN;
  if (anchor !== undefined && !Number.isNaN(timeoutTime) && !marks.some((m) => m.flags.includes("timeout"))) {
    marks.push({
      id: "timeout",
      lane: "orchestrator",
      time: timeoutTime,
      label: `timed out${remediation?.timeout_phase ? ` in ${remediation.timeout_phase}` : ""}`,
      eventId: anchor.event_id,
      flags: ["timeout"],
    });
  }

  const times = marks.map((m) => m.time).filter((t) => !Number.isNaN(t));
  const start = times.length ? Math.min(...times) : 0;
  const end = times.length ? Math.max(...times) : 0;
  const span = end - start;
  return {
    start,
    end,
    lanes: LANES.map((lane) => {
      const inLane = marks
        .filter((m) => m.lane === lane && !Number.isNaN(m.time))
        .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
      const rowEnds: number[] = [];
      const lastInRow: TimelineMark[] = [];
      const placed = inLane.map((mark) => {
        const x = span === 0 ? 0.5 : (mark.time - start) / span;
        let row = rowEnds.findIndex((last) => x - last >= minGap);
        if (row === -1) row = rowEnds.length;
        rowEnds[row] = x;
        const placedMark: TimelineMark = { ...mark, x, row };
        const previous = lastInRow[row];
        if (previous) previous.next = x;
        lastInRow[row] = placedMark;
        return placedMark;
      });
      return { lane, rows: Math.max(1, rowEnds.length), marks: placed };
    }),
  };
}
