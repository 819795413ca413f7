import { randomUUID } from "node:crypto";
import { type AuditRecord, type AuditSource, SOURCE_OF_KIND } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { AI_ANALYSIS_AUDIT, aiAnalysisAuditValues } from "./ai-analysis.js";
import { REMEDIATION_AUDIT, remediationAuditValues } from "./orchestration.js";
import { ALERT_PROCESSING_AUDIT, alertProcessingAuditValues } from "./processing.js";
import type { ProjectionRow, ProjectionSpec } from "./projection.js";
import { wireTime } from "./times.js";

/** One accepted record, ready to append to `audit_events` and to merge into its projection row. */
export interface AuditWrite {
  eventId: string;
  source: AuditSource;
  event: {
    event_id: string;
    correlation_id: string;
    alert_fingerprint: string;
    event_type: string;
    source: AuditSource;
    occurred_at: string;
    payload: Record<string, unknown>;
  };
  projection: { spec: ProjectionSpec; row: ProjectionRow };
}

/**
 * Derives the log entry and projection row of a validated record. `correlation_id` is the remediation's
 * name, which ties the three controllers' records together (an AI event without one falls back to the
 * alert fingerprint); `occurred_at` defaults to the time of receipt.
 */
export function toAuditWrite(record: AuditRecord, receivedAt: Date): AuditWrite {
  const { kind, ...payload } = record;
  const eventId = (record.event_id ?? randomUUID()).toLowerCase();
  const occurredAtText = wireTime(record.occurred_at) ?? receivedAt.toISOString();
  const { spec, values, correlationId, detail } = describe(record);
  const source = SOURCE_OF_KIND[kind];
  return {
    eventId,
    source,
    event: {
      event_id: eventId,
      correlation_id: correlationId,
      alert_fingerprint: record.alert_fingerprint,
      event_type: `${kind}.${detail}`,
      source,
      occurred_at: occurredAtText,
      payload,
    },
    projection: { spec, row: { eventId, values, occurredAtText } },
  };
}

function describe(record: AuditRecord): {
  spec: ProjectionSpec;
  values: Record<string, unknown>;
  correlationId: string;
  detail: string;
} {
  switch (record.kind) {
    case "remediation-orchestration":
      return {
        spec: REMEDIATION_AUDIT,
        values: remediationAuditValues(record),
        correlationId: record.remediation_name,
        detail: record.overall_phase,
      };
    case "alert-processing":
      return {
        spec: ALERT_PROCESSING_AUDIT,
        values: alertProcessingAuditValues(record),
        correlationId: record.remediation_id,
        detail: record.status,
      };
    case "ai-analysis":
      return {
        spec: AI_ANALYSIS_AUDIT,
        values: aiAnalysisAuditValues(record),
        correlationId: record.remediation_id || record.alert_fingerprint,
        detail: record.trigger,
      };
  }
}

/**
 * Data-modifying CTEs ending in one named `name` that appends every write to `audit_events` in one multi-row
 * statement and answers only the events that were new. Each `event_id` is first claimed in `audit_event_ids`
 * (`ON CONFLICT DO NOTHING`), and only the claimed ones are appended: a retried `event_id` is skipped, whichever
 * month its first copy went to and even after retention dropped it. Ids are claimed in `event_id` order, so
 * concurrent statements take their index locks in the same order and never deadlock on each other. The rows go to
 * the partition of the month of `receivedAt` (`ensureMonthPartitions` creates it). The service's own events
 * (legal holds, retention) come without a projection.
 */
export function appendCte(
  name: string,
  writes: readonly Pick<AuditWrite, "event">[],
  receivedAt: string,
): SQL {
  const rows = JSON.stringify(writes.map((w) => w.event));
  return sql.join([
    sql.raw(`${name}_rows AS (`),
    sql`SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS r(event_id uuid, correlation_id text,
      alert_fingerprint text, event_type text, source text, occurred_at timestamptz, payload jsonb)), `,
    sql.raw(`${name}_ids AS (`),
    sql`INSERT INTO audit_event_ids (event_id) SELECT r.event_id FROM `,
    sql.raw(`${name}_rows`),
    sql` r ORDER BY r.event_id ON CONFLICT DO NOTHING RETURNING event_id), `,
    sql.raw(`${name} AS (`),
    sql`INSERT INTO audit_events
      (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
    SELECT r.event_id, r.correlation_id, r.alert_fingerprint, r.event_type, r.source, r.occurred_at,
      ${receivedAt}::timestamptz, r.payload
    FROM `,
    sql.raw(`${name}_rows r JOIN ${name}_ids USING (event_id)`),
    sql`
    ORDER BY r.event_id
    RETURNING event_id)`,
  ]);
}
