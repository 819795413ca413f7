import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

const ts = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Legal holds: records under investigation that retention must keep, and that the database refuses to delete.
 *
 * Invariants: exactly one scope per hold (a `correlation_id`, an `alert_fingerprint`, or a `from_time`..`to_time`
 * range, both ends inclusive); a hold is active while `released_at` is NULL and `expires_at` is NULL or still
 * ahead (by the database's clock). Rows are never deleted: a release sets `released_at`/`released_by`, so the
 * table is the history of every hold. What a hold covers in each audit table is defined once, in SQL, by the
 * `legal_hold_covers(...)` functions of migration `legal-hold-triggers`, which the retention job and the
 * BEFORE DELETE triggers both call.
 */
export const legalHolds = pgTable(
  "legal_holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    correlationId: varchar("correlation_id", { length: 255 }),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }),
    fromTime: ts("from_time"),
    toTime: ts("to_time"),
    reason: text("reason").notNull(),
    requestedBy: varchar("requested_by", { length: 255 }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at"),
    releasedAt: ts("released_at"),
    releasedBy: varchar("released_by", { length: 255 }),
    releaseReason: text("release_reason"),
  },
  (t) => [
    check(
      "legal_holds_one_scope",
      sql`num_nonnulls(${t.correlationId}, ${t.alertFingerprint}, ${t.fromTime}) = 1 AND (${t.fromTime} IS NULL) = (${t.toTime} IS NULL)`,
    ),
    check("legal_holds_range_order", sql`${t.toTime} >= ${t.fromTime}`),
    check("legal_holds_release", sql`(${t.releasedAt} IS NULL) = (${t.releasedBy} IS NULL)`),
    index("idx_legal_holds_created_at").on(t.createdAt),
  ],
);
