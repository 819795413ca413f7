import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { StoredProcessingPhase } from "./contract.js";

const ts = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: "date" });

/** Columns shared by `alert_processing_audit` and its archive, in the same order. */
function alertProcessingAuditColumns() {
  return {
    remediationId: varchar("remediation_id", { length: 255 }).notNull(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    processingPhases: jsonb("processing_phases").$type<StoredProcessingPhase[]>().notNull(),

    enrichmentQuality: doublePrecision("enrichment_quality"),
    enrichmentSources: text("enrichment_sources").array(),
    contextSizeBytes: integer("context_size_bytes"),

    environment: varchar("environment", { length: 50 }),
    confidence: doublePrecision("confidence"),
    businessPriority: varchar("business_priority", { length: 20 }),
    slaRequirement: varchar("sla_requirement", { length: 50 }),

    routedToService: varchar("routed_to_service", { length: 255 }),
    routingPriority: integer("routing_priority"),

    completedAt: ts("completed_at"),
    status: varchar("status", { length: 50 }).notNull(),
    errorMessage: text("error_message"),

    createdAt: ts("created_at").default(sql`CURRENT_TIMESTAMP`),
    updatedAt: ts("updated_at").default(sql`CURRENT_TIMESTAMP`),
    /** `occurred_at` of the newest event merged into this row; an older event never overwrites it. */
    lastEventAt: ts("last_event_at"),
    /** Kept past its month by retention (not finished, or under legal hold): in `alert_processing_audit_held`. */
    retained: boolean("retained").notNull().default(false),
  };
}

/**
 * Seed 001's `RemediationProcessingAudit`: one row per processing of a remediation (`remediation_id`).
 *
 * Invariants: `processing_phases` is the seed's `[]ProcessingPhase` with `duration` stored as an ISO 8601
 * interval string (and `duration_ns` beside it), so `(processing_phases->0->>'duration')::interval` is exact.
 * Partitioned like `remediation_audit`, its keys' partition columns in `alert_processing_audit_keys`.
 */
export const alertProcessingAudit = pgTable(
  "alert_processing_audit",
  {
    id: uuid("id").notNull().defaultRandom(),
    ...alertProcessingAuditColumns(),
    createdAt: ts("created_at").notNull().default(sql`CURRENT_TIMESTAMP`),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id, t.retained, t.createdAt] }),
    index("idx_alert_processing_audit_id").on(t.id),
    uniqueIndex("uq_alert_processing_audit_remediation_id").on(
      t.alertFingerprint,
      t.remediationId,
      t.retained,
      t.createdAt,
    ),
    index("idx_alert_processing_audit_alert_fingerprint").on(t.alertFingerprint, t.completedAt),
    index("idx_alert_processing_audit_completed_at").on(t.completedAt),
    index("idx_alert_processing_audit_environment").on(t.environment),
    index("idx_alert_processing_audit_created_at").on(t.createdAt),
  ],
);

/** Rows moved out of `alert_processing_audit` by the retention job. */
export const alertProcessingAuditArchive = pgTable(
  "alert_processing_audit_archive",
  {
    id: uuid("id").notNull(),
    ...alertProcessingAuditColumns(),
    archivedAt: ts("archived_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id] }),
    index("idx_alert_processing_audit_archive_alert_fingerprint").on(t.alertFingerprint),
    index("idx_alert_processing_audit_archive_created_at").on(t.createdAt),
  ],
);

/** Where each `alert_processing_audit` row is (see `remediationAuditKeys`). */
export const alertProcessingAuditKeys = pgTable(
  "alert_processing_audit_keys",
  {
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    remediationId: varchar("remediation_id", { length: 255 }).notNull(),
    createdAt: ts("created_at").notNull(),
    retained: boolean("retained").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.alertFingerprint, t.remediationId] })],
);
