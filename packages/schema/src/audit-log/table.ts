import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

/** Raw bytes: a SHA-256 hash here. PGlite answers a Uint8Array, node-postgres a Buffer. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

const ts = <N extends string>(name: N) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * The leaves of the audit log's RFC 6962 Merkle tree: one per `audit_events` row, in the order the sealer read
 * them (its only writer, one at a time across replicas).
 *
 * Invariants: `leaf_index` runs 0, 1, 2, … with no gap (the sealer appends `tree size` onwards); each event is
 * sealed once (`event_id` unique); `leaf_hash` = SHA-256(0x00 ‖ RFC 8785 canonical JSON of the stored record);
 * `event_seq` is the row's `audit_events.seq`, the sealer's cursor; `occurred_at` the record's (null on leaves sealed
 * before it was kept, whose record was already gone). Rows are never updated or deleted (a trigger
 * refuses it), not even by retention: after a record is deleted its leaf still names it, so the tree and every
 * checkpoint stay provable, and a missing row is found missing rather than absent. Kept as a plain table (no
 * foreign key, no partitioning) so that the log stays a single sequence whatever `audit_events` becomes.
 */
export const auditLogLeaves = pgTable(
  "audit_log_leaves",
  {
    leafIndex: bigint("leaf_index", { mode: "number" }).primaryKey(),
    leafHash: bytea("leaf_hash").notNull(),
    eventId: uuid("event_id").notNull(),
    correlationId: varchar("correlation_id", { length: 255 }).notNull(),
    alertFingerprint: varchar("alert_fingerprint", { length: 64 }).notNull(),
    eventSeq: bigint("event_seq", { mode: "number" }).notNull(),
    sealedAt: ts("sealed_at").notNull().defaultNow(),
    /** The record's `occurred_at`, so a time-range export finds its leaf after the record is deleted. */
    occurredAt: ts("occurred_at"),
  },
  (t) => [
    uniqueIndex("uq_audit_log_leaves_event_id").on(t.eventId),
    index("idx_audit_log_leaves_correlation").on(t.correlationId, t.leafIndex),
    index("idx_audit_log_leaves_fingerprint").on(t.alertFingerprint, t.leafIndex),
  ],
);

/**
 * The hashes of the tree's full subtrees above the leaves: node (`level`, `node_index`) is the Merkle tree hash
 * of leaves [node_index · 2^level, (node_index + 1) · 2^level). Each is written once, when its last leaf is
 * sealed, and never changes; with the leaves they answer any inclusion or consistency proof in O(log n) reads.
 */
export const auditLogNodes = pgTable(
  "audit_log_nodes",
  {
    level: smallint("level").notNull(),
    nodeIndex: bigint("node_index", { mode: "number" }).notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.level, t.nodeIndex] }),
    check("audit_log_nodes_level", sql`${t.level} BETWEEN 1 AND 63`),
  ],
);

/**
 * Signed checkpoints of the tree (c2sp.org/tlog-checkpoint notes signed with the service's Ed25519 key), one per
 * tree size, append-only. The same notes are published outside the database (a directory, a webhook): a copy
 * kept elsewhere is what shows a rewritten or truncated log.
 */
export const auditLogCheckpoints = pgTable("audit_log_checkpoints", {
  treeSize: bigint("tree_size", { mode: "number" }).primaryKey(),
  rootHash: bytea("root_hash").notNull(),
  note: text("note").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});
