import { z } from "zod";
import { aiAnalysisAuditEventShape, checkAIAnalysisTrigger } from "../ai-analysis-audit/contract.js";
import { remediationProcessingAuditShape } from "../alert-processing-audit/contract.js";
import { remediationOrchestrationAuditShape } from "../remediation-audit/contract.js";
import { storableText } from "../wire/storable.js";

/** Who wrote an event: one of the three controllers, or the storage service itself (legal holds). */
export const AUDIT_SOURCES = ["orchestrator", "processor", "ai-analysis", "datastorage"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export const AUDIT_RECORD_KINDS = ["remediation-orchestration", "alert-processing", "ai-analysis"] as const;
export type AuditRecordKind = (typeof AUDIT_RECORD_KINDS)[number];

/** Which controller publishes each kind of record. */
export const SOURCE_OF_KIND: Record<AuditRecordKind, (typeof AUDIT_SOURCES)[number]> = {
  "remediation-orchestration": "orchestrator",
  "alert-processing": "processor",
  "ai-analysis": "ai-analysis",
};

/** One record of a batch: one of the three write bodies plus its `kind`. */
export const AuditRecord = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("remediation-orchestration"), ...remediationOrchestrationAuditShape }),
    z.strictObject({ kind: z.literal("alert-processing"), ...remediationProcessingAuditShape }),
    z.strictObject({ kind: z.literal("ai-analysis"), ...aiAnalysisAuditEventShape }),
  ])
  .superRefine((record, ctx) => {
    if (record.kind === "ai-analysis") checkAIAnalysisTrigger(record, ctx);
  });
export type AuditRecord = z.infer<typeof AuditRecord>;

/** `POST /api/v1/audit/batch`. The upper bound on `records` is the server's limit (`GET /api/v1/limits`). */
export const BatchRequest = z.strictObject({
  records: z.array(AuditRecord).min(1, { error: "a batch needs at least one record" }),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

/** The answer to every write: how many records were new, how many were retries already stored. */
export const WriteResult = z.object({
  inserted: z.int().min(0),
  duplicates: z.int().min(0),
  event_ids: z.array(z.uuid()),
});
export type WriteResult = z.infer<typeof WriteResult>;

/** `GET /api/v1/limits`: what a client must respect; publishers size batches by it. */
export const Limits = z.object({
  max_batch_records: z.int().min(1),
  max_body_bytes: z.int().min(1),
});
export type Limits = z.infer<typeof Limits>;

/** One entry of the post-mortem timeline. */
export const AuditEvent = z.object({
  event_id: z.uuid(),
  correlation_id: storableText(),
  alert_fingerprint: storableText(),
  event_type: storableText(),
  source: z.enum(AUDIT_SOURCES),
  occurred_at: storableText(),
  received_at: storableText(),
  payload: z.record(storableText(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
