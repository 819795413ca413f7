import type { SealedRecord } from "@kubernaut/schema";
import { type Hash, recordLeafHash } from "@kubernaut/tlog";
import { type SQL, sql } from "drizzle-orm";

/** A time as the sealed record writes it: RFC 3339 in UTC with microseconds, PostgreSQL's own precision. */
const time = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The one definition of what a leaf covers: an `audit_events` row (alias `e`) as the JSON text of its
 * `SealedRecord`. The sealer hashes it, `verify` recomputes it, the proof API serves it; the database renders it,
 * so PGlite and PostgreSQL give the same bytes. `seq` is left out: it is a reading cursor, not part of the record.
 */
export const SEALED_RECORD = sql`jsonb_build_object(
  'event_id', e.event_id, 'correlation_id', e.correlation_id, 'alert_fingerprint', e.alert_fingerprint,
  'event_type', e.event_type, 'source', e.source,
  'occurred_at', ${time(sql`e.occurred_at`)}, 'received_at', ${time(sql`e.received_at`)},
  'payload', e.payload)::text`;

/** Parses the JSON text `SEALED_RECORD` rendered. */
export function parseSealedRecord(text: string): SealedRecord {
  return JSON.parse(text) as SealedRecord;
}

/** The leaf hash of a sealed record: SHA-256(0x00 ‖ RFC 8785 canonical JSON). */
export function sealedLeafHash(record: SealedRecord): Hash {
  return recordLeafHash(record);
}
