import {
  aiAnalysisAudit,
  aiAnalysisAuditArchive,
  alertProcessingAudit,
  alertProcessingAuditArchive,
  remediationAudit,
  remediationAuditArchive,
} from "@kubernaut/schema";
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** An audit table the retention job empties into its archive. */
export interface RetentionTable {
  /** The live table's name: the `table` label of the metric and the key of `retention_runs.moved`. */
  name: string;
  live: SQL;
  archive: SQL;
  /** The live table's columns, every one of which the archive has too (plus `archived_at`). */
  columns: SQL;
  /** Rows in a state that will not change any more: only these are archived. */
  terminal: SQL;
}

function retentionTable(live: PgTable, archive: PgTable, terminal: SQL): RetentionTable {
  const archiveColumns = new Set(Object.values(getTableColumns(archive)).map((c) => c.name));
  const names = Object.values(getTableColumns(live)).map((c) => c.name);
  const missing = names.filter((name) => !archiveColumns.has(name));
  if (missing.length > 0) {
    throw new Error(`${getTableName(archive)} lacks columns of ${getTableName(live)}: ${missing.join(", ")}`);
  }
  return {
    name: getTableName(live),
    live: sql`${sql.identifier(getTableName(live))}`,
    archive: sql`${sql.identifier(getTableName(archive))}`,
    columns: sql.join(
      names.map((name) => sql.identifier(name)),
      sql`, `,
    ),
    terminal,
  };
}

/** The three projections, with the terminal states of each (seed 003's retention policy, extended). */
export const RETENTION_TABLES: readonly RetentionTable[] = [
  retentionTable(
    remediationAudit,
    remediationAuditArchive,
    sql`overall_phase IN ('completed', 'failed', 'timeout')`,
  ),
  retentionTable(alertProcessingAudit, alertProcessingAuditArchive, sql`status IN ('completed', 'failed')`),
  retentionTable(
    aiAnalysisAudit,
    aiAnalysisAuditArchive,
    sql`completion_status IN ('completed', 'failed', 'timeout')`,
  ),
];
