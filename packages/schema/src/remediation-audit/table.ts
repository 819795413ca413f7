import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import type { ServiceCRDStatuses } from "./contract.js";

const ts = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Columns shared by `remediation_audit` and its archive, in the order of seed 003, so that the seed's
 * `INSERT INTO remediation_audit_archive SELECT * FROM remediation_audit` runs unchanged.
 */
function remediationAuditColumns() {
  return {
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    remediationName: varchar("remediation_name", { length: 255 }).notNull(),
    overallPhase: varchar("overall_phase", { length: 50 }).notNull(),
    startTime: ts("start_time").notNull(),
    completionTime: ts("completion_time"),

    alertProcessingName: varchar("alert_processing_name", { length: 255 }),
    aiAnalysisName: varchar("ai_analysis_name", { length: 255 }),
    workflowExecutionName: varchar("workflow_execution_name", { length: 255 }),
    kubernetesExecutionName: varchar("kubernetes_execution_name", { length: 255 }),

    serviceCrdStatuses: jsonb("service_crd_statuses").$type<ServiceCRDStatuses>(),

    timeoutPhase: varchar("timeout_phase", { length: 50 }),
    timeoutTime: ts("timeout_time"),
    failurePhase: varchar("failure_phase", { length: 50 }),
    failureReason: text("failure_reason"),

    duplicateCount: integer("duplicate_count").default(0),
    lastDuplicateTime: ts("last_duplicate_time"),

    retentionExpiryTime: ts("retention_expiry_time"),
    deletedAt: ts("deleted_at"),

    createdAt: ts("created_at").default(sql`CURRENT_TIMESTAMP`),
    updatedAt: ts("updated_at").default(sql`CURRENT_TIMESTAMP`),
    /** `occurred_at` of the newest event merged into this row; an older event never overwrites it. */
    lastEventAt: ts("last_event_at"),
    /** Kept past its month by retention (not finished, or under legal hold): the row is in `remediation_audit_held`. */
    retained: boolean("retained").notNull().default(false),
  };
}

/**
 * One row per remediation (`remediation_name`), the projection of the orchestrator's audit events.
 *
 * Invariants: updated on each phase change by upsert on `remediation_name` (keys lead with `alert_fingerprint`, the
 * distribution column: see `TABLE_PLACEMENTS`); fields of an event older than `last_event_at` only fill columns
 * that are still NULL, so out-of-order delivery never regresses a row.
 *
 * Partitioned like every projection (migration `partitioned-projections`; drizzle-kit does not model partitions)
 * by range of (`retained`, `created_at`): one table per month in UTC for the rows with `retained` false, with no
 * default partition, and `remediation_audit_held` for the rows retention kept past their month. A partitioned
 * table's unique keys must include its partition columns, so the write path reads a row's `created_at` and
 * `retained` from `remediation_audit_keys` (one row per key) and upserts on the whole key.
 */
export const remediationAudit = pgTable(
  "remediation_audit",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    ...remediationAuditColumns(),
    createdAt: ts("created_at").notNull().default(sql`CURRENT_TIMESTAMP`),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id, t.retained, t.createdAt] }),
    index("idx_remediation_audit_id").on(t.id),
    index("idx_remediation_audit_alert_fingerprint").on(t.alertFingerprint),
    uniqueIndex("uq_remediation_audit_remediation_name").on(
      t.alertFingerprint,
      t.remediationName,
      t.retained,
      t.createdAt,
    ),
    index("idx_remediation_audit_overall_phase").on(t.overallPhase),
    index("idx_remediation_audit_retention_expiry").on(t.retentionExpiryTime),
    index("idx_remediation_audit_created_at").on(t.createdAt),
  ],
);

/** Rows moved out of `remediation_audit` by the retention job: same columns, plus when they were archived. */
export const remediationAuditArchive = pgTable(
  "remediation_audit_archive",
  {
    id: bigint("id", { mode: "number" }).notNull(),
    ...remediationAuditColumns(),
    archivedAt: ts("archived_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id] }),
    index("idx_remediation_audit_archive_alert_fingerprint").on(t.alertFingerprint),
    index("idx_remediation_audit_archive_created_at").on(t.createdAt),
  ],
);

/** Where each `remediation_audit` row is: the partition columns of its key, set when the row is first written. */
export const remediationAuditKeys = pgTable(
  "remediation_audit_keys",
  {
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    remediationName: varchar("remediation_name", { length: 255 }).notNull(),
    createdAt: ts("created_at").notNull(),
    retained: boolean("retained").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.alertFingerprint, t.remediationName] })],
);
