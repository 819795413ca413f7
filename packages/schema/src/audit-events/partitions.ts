/**
 * The monthly partitions of `audit_events` (migration `partitioned-audit-events`, whose SQL function
 * `audit_events_partition` creates them under these names): one per month of `received_at` in UTC.
 */

/** How many months past the current one the service keeps created. */
export const AUDIT_EVENT_PARTITION_MONTHS_AHEAD = 3;

/** The partition rows kept past their month go to (legal hold, retention's own records). */
export const AUDIT_EVENTS_HELD = "audit_events_held";

/** The partitioned table whose partitions are the months. */
export const AUDIT_EVENTS_LIVE = "audit_events_live";

const NAME = /^audit_events_(\d{4})_(\d{2})$/;

/** `audit_events_2026_12` for any time in December 2026 (UTC). */
export function auditEventsPartitionName(at: Date): string {
  const month = String(at.getUTCMonth() + 1).padStart(2, "0");
  return `audit_events_${at.getUTCFullYear()}_${month}`;
}

/** The month a partition holds, [from, to), or null when `name` is not a month's partition. */
export function auditEventsPartitionMonth(name: string): { from: Date; to: Date } | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return null;
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}
