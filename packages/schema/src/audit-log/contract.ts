import { z } from "zod";
import { AUDIT_SOURCES } from "../audit-events/contract.js";

/** A SHA-256 hash in standard base64, as checkpoints write it. */
const hash = () =>
  z
    .string()
    .meta({ description: "SHA-256, base64", example: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" });
const size = () => z.int().min(0);

/**
 * The record a leaf hash covers: the `audit_events` row with its times in a fixed form (RFC 3339, UTC,
 * microseconds). Leaf hash = SHA-256(0x00 ‖ RFC 8785 canonical JSON of this object).
 */
export const SealedRecord = z.object({
  event_id: z.uuid(),
  correlation_id: z.string(),
  alert_fingerprint: z.string(),
  event_type: z.string(),
  source: z.enum(AUDIT_SOURCES),
  occurred_at: z.string().meta({ example: "2026-12-01T10:30:00.000000Z" }),
  received_at: z.string().meta({ example: "2026-12-01T10:30:00.125000Z" }),
  payload: z.record(z.string(), z.unknown()),
});
export type SealedRecord = z.infer<typeof SealedRecord>;

/** One signed checkpoint. `note` is the c2sp.org/tlog-checkpoint signed note, exactly as signed. */
export const AuditCheckpoint = z.object({
  origin: z.string(),
  tree_size: size(),
  root_hash: hash(),
  created_at: z.string(),
  note: z.string(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

/** `GET /api/v1/audit/checkpoints`: oldest first, `next_after` the `after` of the next page (null: no more). */
export const AuditCheckpointList = z.object({
  items: z.array(AuditCheckpoint),
  next_after: size().nullable(),
});
export type AuditCheckpointList = z.infer<typeof AuditCheckpointList>;

/** `GET /api/v1/audit/checkpoints/public-key`: the key checkpoints are signed with. */
export const AuditLogPublicKey = z.object({
  origin: z.string(),
  algorithm: z.literal("ed25519"),
  key_id: z.string().meta({ description: "8 hex digits" }),
  verifier_key: z.string().meta({
    description: "The key in the text form of Go's sumdb/note: origin+key_id+base64(0x01 ‖ public key)",
  }),
});
export type AuditLogPublicKey = z.infer<typeof AuditLogPublicKey>;

/** One leaf: which event it seals, its hash, the stored record (null once deleted) and, asked for, its proof. */
export const AuditLeaf = z.object({
  leaf_index: size(),
  event_id: z.uuid(),
  correlation_id: z.string(),
  alert_fingerprint: z.string(),
  leaf_hash: hash(),
  record: SealedRecord.nullable(),
  inclusion_proof: z.array(hash()).optional(),
});
export type AuditLeaf = z.infer<typeof AuditLeaf>;

/** `GET /api/v1/audit/leaves`. */
export const AuditLeafList = z.object({
  tree_size: size(),
  items: z.array(AuditLeaf),
  /** The `start` of the next page of a range listing; null when there is none (and always for an incident). */
  next_start: size().nullable(),
});
export type AuditLeafList = z.infer<typeof AuditLeafList>;

/** `GET /api/v1/audit/events/{event_id}/proof`. */
export const AuditInclusionProof = z.object({
  event_id: z.uuid(),
  leaf_index: size(),
  tree_size: size(),
  leaf_hash: hash(),
  record: SealedRecord.nullable(),
  inclusion_proof: z.array(hash()),
});
export type AuditInclusionProof = z.infer<typeof AuditInclusionProof>;

/** `GET /api/v1/audit/consistency`. */
export const AuditConsistencyProof = z.object({
  from: size(),
  to: size(),
  consistency_proof: z.array(hash()),
});
export type AuditConsistencyProof = z.infer<typeof AuditConsistencyProof>;

/** What `verify` finds wrong with one record. */
export const AUDIT_LOG_PROBLEMS = [
  "altered",
  "missing",
  "out_of_order",
  "not_sealed",
  "not_in_checkpoint",
] as const;
export type AuditLogProblemKind = (typeof AUDIT_LOG_PROBLEMS)[number];

export const AuditLogProblem = z.object({
  event_id: z.uuid(),
  leaf_index: size().nullable(),
  problem: z.enum(AUDIT_LOG_PROBLEMS),
  detail: z.string(),
});
export type AuditLogProblem = z.infer<typeof AuditLogProblem>;

/** `GET /api/v1/audit/verify`. */
export const AuditVerification = z.object({
  verified: z.boolean(),
  scope: z.object({ correlation_id: z.string().optional(), fingerprint: z.string().optional() }),
  checkpoint: z.object({ tree_size: size(), root_hash: hash() }).nullable(),
  records: z.int().min(0).meta({ description: "Rows of audit_events in scope" }),
  leaves: z.int().min(0).meta({ description: "Sealed leaves in scope" }),
  problems: z.array(AuditLogProblem),
  log_problems: z.array(z.string()).meta({
    description:
      "What is wrong with the log itself: a checkpoint that does not verify, a stored tree that is not the signed one; or that the scope has nothing to verify",
  }),
  deleted_by_retention: z.array(z.object({ event_id: z.uuid(), leaf_index: size(), detail: z.string() })),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
