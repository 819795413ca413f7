import { readStorageJson } from "@kubernaut/testing/controller";
import { waitFor } from "@kubernaut/testing/wait";
import { onTheSystem } from "./poll.js";

export interface TimelineEvent {
  event_id: string;
  correlation_id: string;
  event_type: string;
  source: string;
  occurred_at: string;
  received_at: string;
  payload: Record<string, unknown>;
}

type Row = Record<string, unknown>;

/** The storage service's read API, as an operator would call it. */
export class StorageReader {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  /** The headers every call sends: the bearer token, when the service authenticates. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.token ? { ...extra, Authorization: `Bearer ${this.token}` } : extra;
  }

  async json<T>(path: string): Promise<T> {
    return (await readStorageJson(this.url, path, this.headers())) as T;
  }

  async timeline(fingerprint: string): Promise<TimelineEvent[]> {
    const page = await this.json<{ items: TimelineEvent[] }>(
      `/api/v1/audit/timeline/${encodeURIComponent(fingerprint)}`,
    );
    return page.items;
  }

  async rows(table: "remediation-orchestration" | "alert-processing" | "ai-analysis", fingerprint: string) {
    const page = await this.json<{ items: Row[] }>(
      `/api/v1/audit/${table}?fingerprint=${encodeURIComponent(fingerprint)}&limit=500`,
    );
    return page.items;
  }

  async analytics(name: string, query = ""): Promise<Row[]> {
    return (await this.json<{ rows: Row[] }>(`/api/v1/analytics/${name}${query}`)).rows;
  }

  /** Waits until the timeline of `fingerprint` satisfies `done` and answers it. */
  settledTimeline(fingerprint: string, done: (events: TimelineEvent[]) => boolean, timeoutMs = 180_000) {
    return waitFor(
      `the audit timeline of ${fingerprint}`,
      async () => {
        const events = await this.timeline(fingerprint);
        return done(events) ? events : undefined;
      },
      onTheSystem(timeoutMs),
    );
  }
}

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

/** True once every event type of a completed trail is in. */
export function hasEveryTrailEvent(events: readonly TimelineEvent[]): boolean {
  const types = new Set(events.map((e) => e.event_type));
  return completedTrailEventTypes.every((type) => types.has(type));
}
