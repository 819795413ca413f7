import {
  AIAnalysisAuditPage,
  AIAnalysisAuditRecord,
  AlertProcessingAuditPage,
  AlertProcessingAuditRecord,
  RemediationAuditPage,
  RemediationAuditRecord,
} from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/** An audit table as the read endpoints see it. Column names are fixed here, never taken from a request. */
export interface AuditTableView {
  /** The path segment under `/api/v1/audit/`, the same as the write endpoint's. */
  path: string;
  table: SQL;
  record: z.ZodObject;
  page: z.ZodObject;
  /** The key: `remediation_audit` has integer ids, the other two UUIDs. */
  id: { schema: z.ZodType<string>; cast: SQL; example: string };
  /** The status filter's query parameter and the column it matches. */
  status: { param: "phase" | "status"; column: SQL; description: string };
  /** The condition for `environment=`: a column, or how the table reaches one. */
  environment: (value: string) => SQL;
  /** The free-text column `reason=` searches: why the remediation, processing or analysis failed. */
  reason: SQL;
  /** The remediation's name, which its orchestrator records carry as their correlation id. */
  remediation: SQL;
}

const integerId = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, { error: "expected a positive integer id", abort: true })
  .refine((v) => BigInt(v) <= 9_223_372_036_854_775_807n, { error: "id out of range" });
const uuidId = z.guid({ error: "expected a UUID" });

export const AUDIT_TABLE_VIEWS: readonly AuditTableView[] = [
  {
    path: "remediation-orchestration",
    table: sql`remediation_audit`,
    record: RemediationAuditRecord,
    page: RemediationAuditPage,
    id: { schema: integerId, cast: sql`bigint`, example: "42" },
    status: { param: "phase", column: sql`t.overall_phase`, description: "overall_phase, e.g. completed" },
    // A remediation's environment is what the processor classified it as.
    environment: (value) =>
      sql`EXISTS (SELECT 1 FROM alert_processing_audit p WHERE p.remediation_id = t.remediation_name AND p.environment = ${value})`,
    reason: sql`t.failure_reason`,
    remediation: sql`t.remediation_name`,
  },
  {
    path: "alert-processing",
    table: sql`alert_processing_audit`,
    record: AlertProcessingAuditRecord,
    page: AlertProcessingAuditPage,
    id: { schema: uuidId, cast: sql`uuid`, example: "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10" },
    status: { param: "status", column: sql`t.status`, description: "status, e.g. completed or failed" },
    environment: (value) => sql`t.environment = ${value}`,
    reason: sql`t.error_message`,
    remediation: sql`t.remediation_id`,
  },
  {
    path: "ai-analysis",
    table: sql`ai_analysis_audit`,
    record: AIAnalysisAuditRecord,
    page: AIAnalysisAuditPage,
    id: { schema: uuidId, cast: sql`uuid`, example: "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10" },
    status: {
      param: "status",
      column: sql`t.completion_status`,
      description: "completion_status: completed, failed or timeout",
    },
    environment: (value) => sql`t.environment = ${value}`,
    reason: sql`t.failure_reason`,
    remediation: sql`t.remediation_id`,
  },
];

/**
 * The condition for `signal=` or `namespace=`: a field of the remediation's orchestrator records (they carry the
 * alert's name and its target's namespace in their payload; no projection table has a column for either).
 */
export function remediationPayloadIs(
  view: AuditTableView,
  field: "signal_name" | "target_namespace",
  value: string,
): SQL {
  return sql`EXISTS (SELECT 1 FROM audit_events e WHERE e.correlation_id = ${view.remediation}
    AND e.source = 'orchestrator' AND e.payload->>${field} = ${value})`;
}
