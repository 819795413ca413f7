/** Every table, for Drizzle (`drizzle(client, { schema })`) and for `drizzle-kit generate`. */
export { aiAnalysisAudit, aiAnalysisAuditArchive, aiAnalysisAuditKeys } from "./ai-analysis-audit/table.js";
export {
  alertProcessingAudit,
  alertProcessingAuditArchive,
  alertProcessingAuditKeys,
} from "./alert-processing-audit/table.js";
export { auditEventIds, auditEvents } from "./audit-events/table.js";
export { auditLogCheckpoints, auditLogLeaves, auditLogNodes } from "./audit-log/table.js";
export { aiInvestigationEmbeddings } from "./investigation-embeddings/table.js";
export { legalHolds } from "./legal-holds/table.js";
export {
  remediationAudit,
  remediationAuditArchive,
  remediationAuditKeys,
} from "./remediation-audit/table.js";
export { retentionRuns } from "./retention-runs/table.js";
