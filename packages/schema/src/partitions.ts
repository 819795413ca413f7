/**
 * The monthly partitions of `audit_events` and of the three projections (migration `partitioned-projections`,
 * whose SQL functions `audit_events_partition` and `projection_partition` create them under these names). Each
 * table is partitioned on one level by range of (`retained`, its time: `received_at` for `audit_events`,
 * `created_at` for a projection): `<table>_held` holds the rows kept past their month (`retained` true), and each
 * month in UTC has a table of its own (`<table>_YYYY_MM`) for the others.
 */

/** The partitioned tables. */
export const PARTITIONED_TABLES = [
  "audit_events",
  "remediation_audit",
  "alert_processing_audit",
  "ai_analysis_audit",
] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** How many months past the current one the service keeps created. */
export const PARTITION_MONTHS_AHEAD = 3;

/** The partition rows of `table` kept past their month go to (legal hold, not finished yet, retention's own). */
export const heldPartition = (table: PartitionedTable) => `${table}_held`;

/** `audit_events_2026_12` for any time in December 2026 (UTC). */
export function monthPartitionName(table: PartitionedTable, at: Date): string {
  const month = String(at.getUTCMonth() + 1).padStart(2, "0");
  return `${table}_${at.getUTCFullYear()}_${month}`;
}

/** The month a partition of `table` holds, [from, to), or null when `name` is not one of its months. */
export function monthOfPartition(table: PartitionedTable, name: string): { from: Date; to: Date } | null {
  if (!name.startsWith(`${table}_`)) return null;
  const match = /^(\d{4})_(\d{2})$/.exec(name.slice(table.length + 1));
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return null;
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}
