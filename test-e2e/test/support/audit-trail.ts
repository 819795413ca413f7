import { waitFor } from "@kubernaut/testing/wait";
import { expect } from "vitest";
import { onTheSystem } from "./poll.js";
import {
  completedTrailEventTypes,
  hasEveryTrailEvent,
  type StorageReader,
  type TimelineEvent,
} from "./storage.js";

const sorted = (types: readonly string[]) => [...types].sort();

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
  const events = await waitFor(
    `the complete audit trail of ${name}`,
    async () => {
      seen = await storage.timeline(fingerprint);
      return hasEveryTrailEvent(seen) ? seen : undefined;
    },
    onTheSystem(timeoutMs),
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
