import { bigserial, index, jsonb, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { AUDIT_SOURCES } from "./contract.js";

/**
 * The immutable log every write goes through, in the same transaction as its projection row.
 *
 * Invariants: rows are only ever inserted (`ON CONFLICT (event_id) DO NOTHING`, so a retried record is a no-op);
 * `payload` is the record exactly as validated; `correlation_id` (the remediation name, else the fingerprint)
 * ties the three controllers' records together; `occurred_at` orders the post-mortem timeline. `seq` comes from a
 * sequence at insert time: it orders inserts, not commits (a lower number may commit later), so it is only the
 * sealer's reading cursor (see `audit_log_leaves`), never an order of events. UPDATE, DELETE and TRUNCATE are
 * refused by triggers (migration `audit-log-append-only`) except for the retention job's DELETE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    eventId: uuid("event_id").primaryKey(),
    correlationId: varchar("correlation_id", { length: 255 }).notNull(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    eventType: varchar("event_type", { length: 100 }).notNull(),
    source: varchar("source", { length: 20, enum: AUDIT_SOURCES }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [
    index("idx_audit_events_fingerprint_occurred").on(t.alertFingerprint, t.occurredAt),
    index("idx_audit_events_correlation").on(t.correlationId, t.occurredAt),
    index("idx_audit_events_received_at").on(t.receivedAt),
    index("idx_audit_events_seq").on(t.seq),
  ],
);
