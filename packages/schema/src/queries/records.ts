import type { InferSelectModel, Table } from "drizzle-orm";
import { z } from "zod";
import { Recommendation } from "../ai-analysis-audit/contract.js";
import type { aiAnalysisAudit } from "../ai-analysis-audit/table.js";
import { StoredProcessingPhase } from "../alert-processing-audit/contract.js";
import type { alertProcessingAudit } from "../alert-processing-audit/table.js";
import { ServiceCRDStatuses } from "../remediation-audit/contract.js";
import type { remediationAudit } from "../remediation-audit/table.js";

/**
 * Stored rows as the read endpoints answer them: every column of the table under its snake_case name,
 * times as RFC 3339 strings with the database's microsecond precision, unset values as `null`.
 *
 * Each record is checked against its Drizzle table at compile time (`ReadRowOf`, imported as types only, so this
 * module stays free of Drizzle at run time): a column added to, dropped from or retyped in a table fails the
 * build here until the record says the same.
 */
const time = z.iso.datetime({ offset: true });
const optionalTime = time.nullable();
const text = z.string();
const optionalText = text.nullable();
const optionalNumber = z.number().nullable();
const optionalInt = z.int().nullable();
/** Whether retention kept the row past its month (not finished yet, or under legal hold). */
const retained = z.boolean();

/** A row of `remediation_audit` (seed 003). `id` is the table's integer key. */
export const RemediationAuditRecord = z.object({
  id: z.int().min(1),
  alert_fingerprint: text,
  remediation_name: text,
  overall_phase: text,
  start_time: time,
  completion_time: optionalTime,
  alert_processing_name: optionalText,
  ai_analysis_name: optionalText,
  workflow_execution_name: optionalText,
  kubernetes_execution_name: optionalText,
  service_crd_statuses: ServiceCRDStatuses.nullable(),
  timeout_phase: optionalText,
  timeout_time: optionalTime,
  failure_phase: optionalText,
  failure_reason: optionalText,
  duplicate_count: optionalInt,
  last_duplicate_time: optionalTime,
  retention_expiry_time: optionalTime,
  deleted_at: optionalTime,
  created_at: time,
  updated_at: optionalTime,
  last_event_at: optionalTime,
  retained,
});
export type RemediationAuditRecord = z.infer<typeof RemediationAuditRecord>;

/** A row of `alert_processing_audit` (seed 001). `id` is a UUID. */
export const AlertProcessingAuditRecord = z.object({
  id: z.guid(),
  remediation_id: text,
  alert_fingerprint: text,
  processing_phases: z.array(StoredProcessingPhase),
  enrichment_quality: optionalNumber,
  enrichment_sources: z.array(text).nullable(),
  context_size_bytes: optionalInt,
  environment: optionalText,
  confidence: optionalNumber,
  business_priority: optionalText,
  sla_requirement: optionalText,
  routed_to_service: optionalText,
  routing_priority: optionalInt,
  completed_at: optionalTime,
  status: text,
  error_message: optionalText,
  created_at: time,
  updated_at: optionalTime,
  last_event_at: optionalTime,
  retained,
});
export type AlertProcessingAuditRecord = z.infer<typeof AlertProcessingAuditRecord>;

/** A row of `ai_analysis_audit` (seed 000), merged from the five trigger points. `id` is a UUID. */
export const AIAnalysisAuditRecord = z.object({
  id: z.guid(),
  crd_name: text,
  crd_namespace: text,
  alert_fingerprint: text,
  environment: text,
  severity: text,
  investigation_start: optionalTime,
  investigation_end: optionalTime,
  investigation_duration_ms: optionalInt,
  root_cause_count: optionalInt,
  investigation_report: optionalText,
  analysis_start: optionalTime,
  analysis_end: optionalTime,
  analysis_duration_ms: optionalInt,
  confidence_score: optionalNumber,
  hallucination_detected: z.boolean().nullable(),
  recommendation_start: optionalTime,
  recommendation_end: optionalTime,
  recommendations: z.array(Recommendation).nullable(),
  top_recommendation: optionalText,
  effectiveness_probability: optionalNumber,
  historical_success_rate: optionalNumber,
  workflow_crd_name: optionalText,
  workflow_crd_namespace: optionalText,
  completion_status: optionalText,
  failure_reason: optionalText,
  created_at: time,
  remediation_id: optionalText,
  updated_at: optionalTime,
  last_event_at: optionalTime,
  retained,
});
export type AIAnalysisAuditRecord = z.infer<typeof AIAnalysisAuditRecord>;

/** The row of table `T` as a read endpoint answers it, keyed by SQL column name: times as RFC 3339 strings. */
export type ReadRowOf<T extends Table> = {
  [K in keyof InferSelectModel<T, { dbColumnNames: true }>]: Exclude<
    InferSelectModel<T, { dbColumnNames: true }>[K],
    Date
  > extends infer V
    ? V | (Date extends InferSelectModel<T, { dbColumnNames: true }>[K] ? string : never)
    : never;
};

/** `true` when `A` and `B` are the same type, compared both ways (so neither may lack or add a key). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Row types the compiler checks are the same: `Record` of `true` only. */
type Checks<T extends Record<string, true>> = T;
export type _ReadRecordsMatchTables = Checks<{
  remediation_audit: Same<RemediationAuditRecord, ReadRowOf<typeof remediationAudit>>;
  alert_processing_audit: Same<AlertProcessingAuditRecord, ReadRowOf<typeof alertProcessingAudit>>;
  ai_analysis_audit: Same<AIAnalysisAuditRecord, ReadRowOf<typeof aiAnalysisAudit>>;
}>;
