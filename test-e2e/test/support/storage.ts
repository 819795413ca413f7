import { eventually } from "./poll.js";

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
    const response = await fetch(`${this.url}${path}`, {
      headers: this.headers(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
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
    return eventually(
      `the audit timeline of ${fingerprint}`,
      async () => {
        const events = await this.timeline(fingerprint);
        return done(events) ? events : undefined;
      },
      timeoutMs,
    );
  }
}

/** True once the orchestrator's record of the completed phase and a processor and AI analysis record are in. */
export function hasCompleteTrail(events: readonly TimelineEvent[]): boolean {
  const sources = new Set(events.map((e) => e.source));
  return sources.size >= 3 && events.some((e) => e.event_type === "remediation-orchestration.completed");
}
