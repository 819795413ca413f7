import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { Recommendation } from "./contract.js";

const ts = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: "date" });
/** The seed's DECIMAL(3,2): a probability or score with two decimals. */
const score = <N extends string>(name: N) => numeric(name, { precision: 3, scale: 2, mode: "number" });

/** Columns shared by `ai_analysis_audit` and its archive, in the order of seed 000. */
function aiAnalysisAuditColumns() {
  return {
    crdName: varchar("crd_name", { length: 255 }).notNull(),
    crdNamespace: varchar("crd_namespace", { length: 255 }).notNull(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    environment: varchar("environment", { length: 50 }).notNull(),
    severity: varchar("severity", { length: 20 }).notNull(),

    investigationStart: ts("investigation_start"),
    investigationEnd: ts("investigation_end"),
    // bigint, not the seed's INTEGER: an investigation may outlast int4's 24.8 days of milliseconds.
    investigationDurationMs: bigint("investigation_duration_ms", { mode: "number" }),
    rootCauseCount: integer("root_cause_count"),
    investigationReport: text("investigation_report"),

    analysisStart: ts("analysis_start"),
    analysisEnd: ts("analysis_end"),
    analysisDurationMs: bigint("analysis_duration_ms", { mode: "number" }),
    confidenceScore: score("confidence_score"),
    hallucinationDetected: boolean("hallucination_detected"),

    recommendationStart: ts("recommendation_start"),
    recommendationEnd: ts("recommendation_end"),
    recommendations: jsonb("recommendations").$type<Recommendation[]>(),
    topRecommendation: varchar("top_recommendation", { length: 255 }),
    effectivenessProbability: score("effectiveness_probability"),
    historicalSuccessRate: score("historical_success_rate"),

    workflowCrdName: varchar("workflow_crd_name", { length: 255 }),
    workflowCrdNamespace: varchar("workflow_crd_namespace", { length: 255 }),

    completionStatus: varchar("completion_status", { length: 50 }),
    failureReason: text("failure_reason"),
    createdAt: ts("created_at").default(sql`NOW()`),

    remediationId: varchar("remediation_id", { length: 255 }),
    updatedAt: ts("updated_at").default(sql`NOW()`),
    /** `occurred_at` of the newest trigger merged into this row; an older one only fills NULL columns. */
    lastEventAt: ts("last_event_at"),
    /** Kept past its month by retention (not finished, or under legal hold): in `ai_analysis_audit_held`. */
    retained: boolean("retained").notNull().default(false),
  };
}

/**
 * Seed 000's `ai_analysis_audit`: one row per AIAnalysis (`crd_namespace`/`crd_name`), merged from the five
 * trigger points (investigation complete, analysis complete, recommendations generated, workflow created,
 * analysis failed). Triggers may arrive in any order; a late one never erases a newer one's fields.
 * Partitioned like `remediation_audit`, its keys' partition columns in `ai_analysis_audit_keys`.
 */
export const aiAnalysisAudit = pgTable(
  "ai_analysis_audit",
  {
    id: uuid("id").notNull().defaultRandom(),
    ...aiAnalysisAuditColumns(),
    createdAt: ts("created_at").notNull().default(sql`NOW()`),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id, t.retained, t.createdAt] }),
    index("idx_ai_analysis_audit_id").on(t.id),
    uniqueIndex("uq_ai_analysis_audit_crd").on(
      t.alertFingerprint,
      t.crdNamespace,
      t.crdName,
      t.retained,
      t.createdAt,
    ),
    index("idx_ai_analysis_audit_fingerprint").on(t.alertFingerprint),
    index("idx_ai_analysis_audit_environment").on(t.environment),
    index("idx_ai_analysis_audit_created_at").on(t.createdAt),
    index("idx_ai_analysis_audit_top_recommendation").on(t.topRecommendation, t.environment),
  ],
);

/** Rows moved out of `ai_analysis_audit` by the retention job. */
export const aiAnalysisAuditArchive = pgTable(
  "ai_analysis_audit_archive",
  {
    id: uuid("id").notNull(),
    ...aiAnalysisAuditColumns(),
    archivedAt: ts("archived_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.id] }),
    index("idx_ai_analysis_audit_archive_fingerprint").on(t.alertFingerprint),
    index("idx_ai_analysis_audit_archive_created_at").on(t.createdAt),
  ],
);

/** Where each `ai_analysis_audit` row is (see `remediationAuditKeys`). */
export const aiAnalysisAuditKeys = pgTable(
  "ai_analysis_audit_keys",
  {
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    crdNamespace: varchar("crd_namespace", { length: 255 }).notNull(),
    crdName: varchar("crd_name", { length: 255 }).notNull(),
    createdAt: ts("created_at").notNull(),
    retained: boolean("retained").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.alertFingerprint, t.crdNamespace, t.crdName] })],
);
