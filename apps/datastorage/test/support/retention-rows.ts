import { sql } from "drizzle-orm";
import type { ReadTestApp } from "./read-app.js";

export const AUDIT_TABLES = ["remediation_audit", "alert_processing_audit", "ai_analysis_audit"] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

/**
 * Every row of a table and its archive, as canonical JSON without `archived_at` and `retained` (which only say
 * where retention put the row), sorted.
 */
export async function liveAndArchived(
  t: ReadTestApp,
  table: AuditTable,
): Promise<{ live: string[]; archived: string[] }> {
  const read = async (name: string) =>
    (
      await t.rows<{ row: string }>(
        sql`SELECT (to_jsonb(r) - 'archived_at' - 'retained')::text AS row FROM ${sql.identifier(name)} r`,
      )
    )
      .map((r) => r.row)
      .sort();
  return { live: await read(table), archived: await read(`${table}_archive`) };
}

/** The rows of `table` now, to compare with live ∪ archive after a run. */
export async function snapshot(t: ReadTestApp, table: AuditTable): Promise<string[]> {
  return (await liveAndArchived(t, table)).live;
}

/** Live ∪ archive, sorted: equal to the snapshot exactly when no row was lost or copied twice. */
export async function everyRowOnce(t: ReadTestApp, table: AuditTable): Promise<string[]> {
  const { live, archived } = await liveAndArchived(t, table);
  return [...live, ...archived].sort();
}

export interface RetentionRunRow {
  trigger: string;
  dry_run: boolean;
  retention_days: number;
  cutoff: string;
  status: string;
  moved: Record<string, number>;
  held: Record<string, number>;
  error: string | null;
  finished: boolean;
}

export async function retentionRuns(t: ReadTestApp): Promise<RetentionRunRow[]> {
  return t.rows<RetentionRunRow>(sql`
    SELECT trigger, dry_run, retention_days, to_json(cutoff) #>> '{}' AS cutoff, status, moved, held, error,
           finished_at IS NOT NULL AS finished
    FROM retention_runs ORDER BY started_at, id`);
}
