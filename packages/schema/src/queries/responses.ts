import { z } from "zod";
import { AuditEvent } from "../audit-events/contract.js";
import { AIAnalysisAuditRecord, AlertProcessingAuditRecord, RemediationAuditRecord } from "./records.js";

/**
 * `GET /api/v1/audit/timeline/{alert_fingerprint}`: the audit events of all three controllers for one alert,
 * in the order they happened (`occurred_at`, then `received_at`). `truncated` says `limit` cut the list
 * (raise `limit`, up to 10000, or narrow the window with `since`/`until`).
 */
export const AuditTimeline = z.object({
  alert_fingerprint: z.string(),
  items: z.array(AuditEvent),
  truncated: z.boolean(),
});
export type AuditTimeline = z.infer<typeof AuditTimeline>;

/**
 * One page of a list, newest first. `next_cursor` is opaque: pass it back as `cursor` for the next page;
 * `null` means this is the last page.
 */
function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const RemediationAuditPage = page(RemediationAuditRecord);
export type RemediationAuditPage = z.infer<typeof RemediationAuditPage>;

export const AlertProcessingAuditPage = page(AlertProcessingAuditRecord);
export type AlertProcessingAuditPage = z.infer<typeof AlertProcessingAuditPage>;

export const AIAnalysisAuditPage = page(AIAnalysisAuditRecord);
export type AIAnalysisAuditPage = z.infer<typeof AIAnalysisAuditPage>;

/** Page size of the lists: `limit` defaults to 50 and may not exceed 500. */
export const LIST_LIMIT = { default: 50, max: 500 } as const;
/** Events per timeline answer: `limit` defaults to 1000 and may not exceed 10000. */
export const TIMELINE_LIMIT = { default: 1000, max: 10_000 } as const;
