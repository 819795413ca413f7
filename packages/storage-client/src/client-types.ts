import type {
  AIAnalysisAuditEvent,
  AnalyticsName,
  AuditRecord,
  RemediationOrchestrationAudit,
  RemediationProcessingAudit,
  SearchInvestigations,
  StoreInvestigationEmbedding,
} from "@kubernaut/schema/contracts";
import type { z } from "zod";

/** What a caller sends: the contracts' input types (times as RFC 3339 strings, durations as Go allows). */
export type RemediationOrchestrationAuditInput = z.input<typeof RemediationOrchestrationAudit>;
export type RemediationProcessingAuditInput = z.input<typeof RemediationProcessingAudit>;
export type AIAnalysisAuditEventInput = z.input<typeof AIAnalysisAuditEvent>;
export type AuditRecordInput = z.input<typeof AuditRecord>;
export type StoreInvestigationEmbeddingInput = z.input<typeof StoreInvestigationEmbedding>;
export type SearchInvestigationsInput = SearchInvestigations;

interface TimeRange {
  /** RFC 3339; exclusive. */
  since?: string;
  /** RFC 3339; inclusive. */
  until?: string;
}

export interface TimelineQuery extends TimeRange {
  limit?: number;
}

interface ListQueryBase extends TimeRange {
  fingerprint?: string;
  environment?: string;
  limit?: number;
  /** The `next_cursor` of the previous page. */
  cursor?: string;
}

export interface RemediationOrchestrationListQuery extends ListQueryBase {
  /** `overall_phase`, e.g. `completed`. */
  phase?: string;
}

export interface RemediationProcessingListQuery extends ListQueryBase {
  status?: string;
}

export interface AIAnalysisListQuery extends ListQueryBase {
  /** `completion_status`: completed, failed or timeout. */
  status?: string;
}

/** Parameters every analytics endpoint takes: a span back from `until` (`7d`, `24h`) or explicit bounds. */
export interface AnalyticsWindowParams extends TimeRange {
  window?: string;
  limit?: number;
}

interface AnalyticsExtraParams {
  "recommendation-effectiveness": { environment?: string };
  /** `threshold`: a Go duration, default `2s`. */
  "slow-enrichments": { threshold?: string };
}

export type AnalyticsParams<N extends AnalyticsName> = AnalyticsWindowParams &
  (N extends keyof AnalyticsExtraParams ? AnalyticsExtraParams[N] : Record<never, never>);
