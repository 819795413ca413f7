/**
 * The storage service's retention job may delete old `audit_events` records (never their leaves). For each range of
 * leaves it deleted from, it appends a record of this type under this correlation id, which is sealed like any
 * other: a verifier tells a record deleted by retention from a missing one on the log's own word.
 */
export const RETENTION_DELETED_EVENT = "retention.deleted";
export const RETENTION_CORRELATION_ID = "kubernaut:retention";

/** Leaves [from, to) whose records retention run `runId` deleted (those received before `cutoff`, not held). */
export interface RetentionRange {
  runId: string;
  from: number;
  to: number;
  cutoff: string;
}

/**
 * The range a sealed retention event names, or null when `record` is not one. It is capped at the event's own leaf
 * index: an event vouches only for leaves sealed before it. The caller must have proved that the record hashes to
 * its leaf in a signed tree.
 */
export function retentionRangeOf(record: Record<string, unknown>, leafIndex: number): RetentionRange | null {
  if (record.event_type !== RETENTION_DELETED_EVENT || record.correlation_id !== RETENTION_CORRELATION_ID)
    return null;
  const payload = (record.payload ?? {}) as Record<string, unknown>;
  const { from_leaf: from, to_leaf: to } = payload;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return null;
  return {
    runId: String(payload.run_id),
    from: from as number,
    to: Math.min(to as number, leafIndex),
    cutoff: String(payload.cutoff),
  };
}

/** The range that holds `leafIndex`, if any. */
export function retainedBy(ranges: readonly RetentionRange[], leafIndex: number): RetentionRange | undefined {
  return ranges.find((r) => leafIndex >= r.from && leafIndex < r.to);
}
