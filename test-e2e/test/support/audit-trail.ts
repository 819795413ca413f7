import { expect } from "vitest";
import { eventually } from "./poll.js";
import type { StorageReader, TimelineEvent } from "./storage.js";

/**
 * The event types of one completed remediation's trail, in the order they happen: the orchestrator's record
 * of each phase it enters, the processor's final record, and the AI analysis's four trigger points. Every
 * record is published once with an id of its own, so each type appears exactly once.
 */
export const completedTrailEventTypes: readonly string[] = [
  "remediation-orchestration.pending",
  "remediation-orchestration.processing",
  "alert-processing.completed",
  "remediation-orchestration.analyzing",
  "ai-analysis.investigation_complete",
  "ai-analysis.analysis_complete",
  "ai-analysis.recommendations_generated",
  "ai-analysis.workflow_created",
  "remediation-orchestration.executing",
  "remediation-orchestration.completed",
];

const sorted = (types: readonly string[]) => [...types].sort();

/** True once every event type of a completed trail is in. */
export function hasEveryTrailEvent(events: readonly TimelineEvent[]): boolean {
  const types = new Set(events.map((e) => e.event_type));
  return completedTrailEventTypes.every((type) => types.has(type));
}

/** One line per event, for failure messages: when it occurred, when it was received, its type. */
function describeTimeline(events: readonly TimelineEvent[]): string {
  return events.map((e) => `\n  ${e.occurred_at} (received ${e.received_at}) ${e.event_type}`).join("");
}

/**
 * Waits for the complete trail of remediation `name` (alert `fingerprint`), then checks that it holds each
 * record exactly once (no type missing or repeated, no event id twice) and that the three projection rows
 * say what the trail says.
 */
export async function expectCompleteAuditTrail(
  storage: StorageReader,
  fingerprint: string,
  name: string,
  timeoutMs = 180_000,
): Promise<TimelineEvent[]> {
  let seen: TimelineEvent[] = [];
  const events = await eventually(
    `the complete audit trail of ${name}`,
    async () => {
      seen = await storage.timeline(fingerprint);
      return hasEveryTrailEvent(seen) ? seen : undefined;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    const types = new Set(seen.map((e) => e.event_type));
    const missing = completedTrailEventTypes.filter((type) => !types.has(type));
    throw new Error(`${String(error)}; missing ${missing.join(", ")}; stored:${describeTimeline(seen)}`);
  });
  const timeline = `the timeline of ${name}:${describeTimeline(events)}`;
  const types = events.map((e) => e.event_type);
  expect(sorted(types), timeline).toEqual(sorted(completedTrailEventTypes));
  expect(new Set(events.map((e) => e.event_id)).size, timeline).toBe(events.length);
  expect(new Set(events.map((e) => e.correlation_id)), timeline).toEqual(new Set([name]));
  expect(types.at(-1), timeline).toBe("remediation-orchestration.completed");

  const remediations = await storage.rows("remediation-orchestration", fingerprint);
  expect(remediations, `remediation_audit rows of ${name}`).toHaveLength(1);
  expect(remediations[0]).toMatchObject({ remediation_name: name, overall_phase: "completed" });
  const processings = await storage.rows("alert-processing", fingerprint);
  expect(processings, `alert_processing_audit rows of ${name}`).toHaveLength(1);
  expect(processings[0]).toMatchObject({
    remediation_id: name,
    status: "completed",
    environment: "production",
  });
  const analyses = await storage.rows("ai-analysis", fingerprint);
  expect(analyses, `ai_analysis_audit rows of ${name}`).toHaveLength(1);
  expect(analyses[0]).toMatchObject({ remediation_id: name, completion_status: "completed" });
  return events;
}
