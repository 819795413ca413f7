import { execute } from "@kubernaut/db";
import type { AuditCheckpoint } from "@kubernaut/schema";
import type { Hash, NodeId, NodeReader } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import type { Db } from "../env.js";

type Executor = Pick<Db, "execute">;

const toHash = (value: unknown): Hash => {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "string" && value.startsWith("\\x")) return Buffer.from(value.slice(2), "hex");
  throw new Error("a stored hash is not bytea");
};

/**
 * Reads stored subtree hashes: level 0 from `audit_log_leaves`, the others from `audit_log_nodes`, in one
 * statement. A node that is not stored (a tree larger than what was sealed) is an error.
 */
export function storedNodeReader(db: Executor): NodeReader {
  return {
    async readNodes(ids: readonly NodeId[]): Promise<Hash[]> {
      if (ids.length === 0) return [];
      const wanted = JSON.stringify(ids.map((id) => ({ level: id.level, node_index: id.index })));
      const rows = await execute<{ level: number; node_index: number; hash: unknown }>(
        db,
        sql`
          SELECT w.level, w.node_index, COALESCE(l.leaf_hash, n.hash) AS hash
          FROM jsonb_to_recordset(${wanted}::jsonb) AS w(level int, node_index bigint)
          LEFT JOIN audit_log_leaves l ON w.level = 0 AND l.leaf_index = w.node_index
          LEFT JOIN audit_log_nodes n ON w.level > 0 AND n.level = w.level AND n.node_index = w.node_index`,
      );
      const byKey = new Map(rows.map((r) => [`${r.level}/${r.node_index}`, r.hash]));
      return ids.map((id) => {
        const hash = byKey.get(`${id.level}/${id.index}`);
        if (hash === null || hash === undefined) {
          throw new Error(`the audit log has no stored subtree ${id.level}/${id.index}`);
        }
        return toHash(hash);
      });
    },
  };
}

/** The sealed tree: its size (leaves 0..size-1) and the `audit_events.seq` of its last leaf. */
export interface TreeHead {
  size: number;
  lastSeq: number;
}

export async function readTreeHead(db: Executor): Promise<TreeHead> {
  const [last] = await execute<{ leaf_index: number; event_seq: number }>(
    db,
    sql`SELECT leaf_index, event_seq FROM audit_log_leaves ORDER BY leaf_index DESC LIMIT 1`,
  );
  return last === undefined
    ? { size: 0, lastSeq: 0 }
    : { size: last.leaf_index + 1, lastSeq: last.event_seq };
}

/** One checkpoint row as the API answers it. */
export const CHECKPOINT_COLUMNS = sql`tree_size, encode(root_hash, 'base64') AS root_hash,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, note`;

type CheckpointRow = Omit<AuditCheckpoint, "origin">;

/** The newest checkpoint, or null before the first. */
export async function latestCheckpoint(db: Executor): Promise<CheckpointRow | null> {
  const [row] = await execute<CheckpointRow>(
    db,
    sql`SELECT ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints ORDER BY tree_size DESC LIMIT 1`,
  );
  return row ?? null;
}

/** The origin line of a checkpoint note. */
export function originOf(note: string): string {
  return note.slice(0, note.indexOf("\n"));
}
