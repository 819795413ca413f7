import {
  bigserial,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { AUDIT_SOURCES } from "./contract.js";

/**
 * The immutable log every write goes through, in the same transaction as its projection row.
 *
 * Invariants: rows are only ever inserted; each `event_id` is stored once for ever (`audit_event_ids`, so a
 * retried record is a no-op, even after retention deleted the first copy); `payload` is the record exactly as
 * validated; `correlation_id` (the remediation name, else the fingerprint) ties the three controllers' records
 * together; `occurred_at` orders the post-mortem timeline. `seq` comes from a sequence at insert time: it orders
 * inserts, not commits (a lower number may commit later), so it is only the sealer's reading cursor (see
 * `audit_log_leaves`), never an order of events. UPDATE, DELETE and TRUNCATE are refused by triggers (migration
 * `audit-log-append-only`) except for the retention job.
 *
 * Partitioned (migration `partitioned-projections`; drizzle-kit does not model partitions) by range of
 * (`retained`, `received_at`): one table per month in UTC (`monthPartitionName`) for the rows with `retained`
 * false, with no default partition, so a write for a month with no partition is refused rather than kept somewhere
 * retention would never look. Retention drops whole months; before it does, it copies the month's rows that must
 * stay (under legal hold, or retention's own records) to `audit_events_held` with `retained` true.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    eventId: uuid("event_id").notNull(),
    correlationId: varchar("correlation_id", { length: 255 }).notNull(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    eventType: varchar("event_type", { length: 100 }).notNull(),
    source: varchar("source", { length: 20, enum: AUDIT_SOURCES }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
    retained: boolean("retained").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.alertFingerprint, t.eventId, t.retained, t.receivedAt] }),
    index("idx_audit_events_fingerprint_occurred").on(t.alertFingerprint, t.occurredAt),
    index("idx_audit_events_correlation").on(t.correlationId, t.occurredAt),
    index("idx_audit_events_received_at").on(t.receivedAt),
    index("idx_audit_events_seq").on(t.seq),
  ],
);

/**
 * Every `event_id` ever stored, kept for ever like the log's leaves: the write path claims an id here first and
 * appends to `audit_events` only the ids it claimed, so idempotency holds across partitions (whose keys must
 * include the month) and after retention.
 */
export const auditEventIds = pgTable("audit_event_ids", {
  eventId: uuid("event_id").primaryKey(),
});
