import type * as tables from "./tables.js";

/**
 * Where each table goes when one PostgreSQL is outgrown and the database becomes a Citus cluster (distributed
 * PostgreSQL): the scale-out path of docs/design.md ("Scale-out"). Nothing here runs on a single PostgreSQL; the
 * schema is kept so that the move needs no change of keys, and `packages/db`'s distribution-rules test checks the
 * migrated schema against these placements in CI.
 *
 * The trail is distributed by `alert_fingerprint`: every audit table carries it, so an alert's events, its
 * projections, their archives and its investigations sit on one node, co-located, and what reads one alert (the
 * timeline, a legal hold by fingerprint, an export) runs on that node alone. Citus needs every primary key and
 * unique constraint of a distributed table to include its distribution column; here each leads with it.
 */
export const DISTRIBUTION_COLUMN = "alert_fingerprint";

export type Placement =
  /** Sharded by `column`; every primary key and unique constraint leads with it. */
  | { kind: "distributed"; column: string; why?: string }
  /** Small, and read by the triggers of distributed tables: a full copy on every node. */
  | { kind: "reference"; why: string }
  /** Kept on the coordinator alone. */
  | { kind: "coordinator"; why: string };

type TableName = (typeof tables)[keyof typeof tables]["_"]["name"];

const BY_ALERT: Placement = { kind: "distributed", column: DISTRIBUTION_COLUMN };

/** Every table of the schema (a table added without a placement fails to compile). */
export const TABLE_PLACEMENTS: Record<TableName, Placement> = {
  audit_events: BY_ALERT,
  remediation_audit: BY_ALERT,
  remediation_audit_keys: BY_ALERT,
  remediation_audit_archive: BY_ALERT,
  alert_processing_audit: BY_ALERT,
  alert_processing_audit_keys: BY_ALERT,
  alert_processing_audit_archive: BY_ALERT,
  ai_analysis_audit: BY_ALERT,
  ai_analysis_audit_keys: BY_ALERT,
  ai_analysis_audit_archive: BY_ALERT,
  ai_investigation_embeddings: BY_ALERT,
  audit_event_ids: {
    kind: "distributed",
    column: "event_id",
    why:
      "an event id is stored once across the whole trail (the log seals one leaf per event id), so the ids are " +
      "sharded by themselves, not co-located with the alerts",
  },
  legal_holds: { kind: "reference", why: "every hold is checked by the delete triggers of every shard" },
  retention_runs: { kind: "reference", why: "a few rows per day, read with the tables retention touches" },
  audit_log_leaves: {
    kind: "coordinator",
    why: "the log is one append-only sequence with one sequencer: its leaves, nodes and checkpoints are not sharded",
  },
  audit_log_nodes: { kind: "coordinator", why: "the log's Merkle tree, with its leaves" },
  audit_log_checkpoints: { kind: "coordinator", why: "the log's signed checkpoints, with its leaves" },
};

/**
 * The trigger functions the distributed tables may call. Each reads only its row, the reference table
 * `legal_holds` and the transaction's `kubernaut.retention` setting, so it runs on a shard as it runs here:
 * under Citus the triggers are created with `citus.enable_unsafe_triggers` on, and retention's `SET LOCAL` reaches
 * the workers with `citus.propagate_set_commands = 'local'`.
 */
export const SHARD_SAFE_TRIGGER_FUNCTIONS = [
  "refuse_delete_of_held_event",
  "refuse_truncate_of_held_events",
  "refuse_audit_event_rewrite",
  "refuse_delete_of_held_projection_row",
  "refuse_truncate_of_held_projection",
  "refuse_delete_of_held_row",
  "refuse_truncate_of_held_rows",
  "refuse_update_out_of_hold",
] as const;
