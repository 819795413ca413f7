import { execute } from "@kubernaut/db";
import type { AuditLeaf } from "@kubernaut/schema";
import { type Hash, toBase64 } from "@kubernaut/tlog";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { parseSealedRecord, SEALED_RECORD } from "../../audit-log/record.js";
import { latestCheckpoint, readTreeHead } from "../../audit-log/store.js";
import type { Db } from "../../env.js";
import { HttpProblem } from "../../errors.js";

type Executor = Pick<Db, "execute">;

/**
 * A tree size query parameter: decimal digits (a string in the OpenAPI document, so that a required one is
 * documented as required, which `z.coerce` would not be).
 */
export const treeSizeParam = z
  .string({ error: "expected an integer" })
  .regex(/^(0|[1-9][0-9]*)$/, { error: "expected a decimal integer of at least 0" })
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER, { error: "must be at most 2^53-1" }));

/**
 * The tree size a proof is given for: the one asked (at most the leaves sealed), else the latest checkpoint's, so
 * that by default a proof verifies against a signed root. 404 before the first checkpoint.
 */
export async function resolveTreeSize(db: Executor, requested: number | undefined): Promise<number> {
  if (requested !== undefined) {
    const { size } = await readTreeHead(db);
    if (requested > size) {
      throw new HttpProblem({
        status: 400,
        detail: `tree_size ${requested} is larger than the log, which has ${size} leaves`,
      });
    }
    return requested;
  }
  const latest = await latestCheckpoint(db);
  if (latest === null) throw HttpProblem.notFound("the audit log has no signed checkpoint yet");
  return latest.tree_size;
}

interface LeafRow {
  leaf_index: number;
  event_id: string;
  correlation_id: string;
  alert_fingerprint: string;
  leaf_hash: string;
  record: string | null;
}

/** Leaves matching `where` (on alias `l`) with their stored record (alias `e`, null once the row is gone). */
export async function selectLeaves(db: Executor, where: SQL, limit?: number): Promise<AuditLeaf[]> {
  const rows = await execute<LeafRow>(
    db,
    sql`
      SELECT l.leaf_index, l.event_id::text AS event_id, l.correlation_id, l.alert_fingerprint,
        encode(l.leaf_hash, 'base64') AS leaf_hash,
        CASE WHEN e.event_id IS NULL THEN NULL ELSE ${SEALED_RECORD} END AS record
      FROM audit_log_leaves l
      LEFT JOIN audit_events e ON e.event_id = l.event_id
      WHERE ${where}
      ORDER BY l.leaf_index
      ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`,
  );
  return rows.map((row) => ({ ...row, record: row.record === null ? null : parseSealedRecord(row.record) }));
}

export const hashes = (proof: readonly Hash[]): string[] => proof.map(toBase64);
