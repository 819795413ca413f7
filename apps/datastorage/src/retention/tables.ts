import {
  aiAnalysisAudit,
  aiAnalysisAuditArchive,
  aiAnalysisAuditKeys,
  alertProcessingAudit,
  alertProcessingAuditArchive,
  alertProcessingAuditKeys,
  type PartitionedTable,
  remediationAudit,
  remediationAuditArchive,
  remediationAuditKeys,
} from "@kubernaut/schema";
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** An audit table the retention job empties into its archive. */
export interface RetentionTable {
  /** The live table's name: the `table` label of the metric and the key of `retention_runs.moved`. */
  name: Exclude<PartitionedTable, "audit_events">;
  live: SQL;
  archive: SQL;
  /** Its key table (`created_at` and `retained` of each key's row), and the key's columns. */
  keys: SQL;
  key: SQL;
  /** The live table's columns, every one of which the archive has too (plus `archived_at`). */
  columns: SQL;
  /** The same without `retained`. */
  carried: SQL;
  /** Rows in a state that will not change any more: only these are archived. */
  terminal: SQL;
  /**
   * The correlation id a legal hold names a row `r` of this table by (`projection_correlation`, migration
   * `partitioned-projections`).
   */
  correlation: SQL;
}

function retentionTable(
  live: PgTable,
  archive: PgTable,
  keys: PgTable,
  terminal: SQL,
  correlation: SQL,
): RetentionTable {
  const archiveColumns = new Set(Object.values(getTableColumns(archive)).map((c) => c.name));
  const names = Object.values(getTableColumns(live)).map((c) => c.name);
  const missing = names.filter((name) => !archiveColumns.has(name));
  if (missing.length > 0) {
    throw new Error(`${getTableName(archive)} lacks columns of ${getTableName(live)}: ${missing.join(", ")}`);
  }
  const list = (columns: string[]) =>
    sql.join(
      columns.map((name) => sql.identifier(name)),
      sql`, `,
    );
  const keyNames = Object.values(getTableColumns(keys))
    .map((c) => c.name)
    .filter((name) => name !== "created_at" && name !== "retained");
  return {
    name: getTableName(live) as RetentionTable["name"],
    live: sql`${sql.identifier(getTableName(live))}`,
    archive: sql`${sql.identifier(getTableName(archive))}`,
    keys: sql`${sql.identifier(getTableName(keys))}`,
    key: list(keyNames),
    columns: list(names),
    carried: list(names.filter((name) => name !== "retained")),
    terminal,
    correlation,
  };
}

/** The three projections, with the terminal states of each (seed 003's retention policy, extended). */
export const RETENTION_TABLES: readonly RetentionTable[] = [
  retentionTable(
    remediationAudit,
    remediationAuditArchive,
    remediationAuditKeys,
    sql`overall_phase IN ('completed', 'failed', 'timeout')`,
    sql`r.remediation_name`,
  ),
  retentionTable(
    alertProcessingAudit,
    alertProcessingAuditArchive,
    alertProcessingAuditKeys,
    sql`status IN ('completed', 'failed')`,
    sql`r.remediation_id`,
  ),
  retentionTable(
    aiAnalysisAudit,
    aiAnalysisAuditArchive,
    aiAnalysisAuditKeys,
    sql`completion_status IN ('completed', 'failed', 'timeout')`,
    sql`COALESCE(NULLIF(r.remediation_id, ''), r.alert_fingerprint)`,
  ),
];
