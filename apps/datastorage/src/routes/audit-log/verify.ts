import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { execute } from "@kubernaut/db";
import {
  type AuditLeaf,
  type AuditLogProblem,
  AuditVerification,
  type SealedRecord,
} from "@kubernaut/schema";
import {
  type AlteredEntry,
  findSwaps,
  hashEquals,
  hashFromBase64,
  inclusionProofs,
  type NoteVerifier,
  openCheckpoint,
  parseVerifierKey,
  RETENTION_CORRELATION_ID,
  type RetentionRange,
  retainedBy,
  retentionRangeOf,
  toBase64,
  treeRoot,
  verifyInclusion,
} from "@kubernaut/tlog";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { parseSealedRecord, SEALED_RECORD, sealedLeafHash } from "../../audit-log/record.js";
import { latestCheckpoint, storedNodeReader } from "../../audit-log/store.js";
import type { AppDeps, AppEnv } from "../../env.js";
import { correlationId, fingerprint } from "../queries/params.js";
import { problem, TAGS } from "./responses.js";
import { selectLeaves } from "./tree.js";

export const verifyRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/verify",
  tags: TAGS,
  summary:
    "Recomputes an incident's leaves from its stored records and checks them against the tree and the latest signed checkpoint",
  request: {
    query: z
      .strictObject({
        correlation_id: correlationId.optional(),
        fingerprint: fingerprint.optional(),
      })
      .superRefine((q, ctx) => {
        if ((q.correlation_id === undefined) === (q.fingerprint === undefined)) {
          ctx.addIssue({
            code: "custom",
            path: [],
            message: "give exactly one of correlation_id and fingerprint",
          });
        }
      }),
  },
  responses: {
    200: {
      description:
        "verified is true when every record in scope is sealed, unchanged, and in the signed tree; false when the scope has no record and no leaf",
      content: { "application/json": { schema: AuditVerification } },
    },
    400: problem("a parameter is invalid"),
  },
});

interface RowRecord {
  event_id: string;
  record: string;
}

/**
 * The records of an incident against their leaves. Each leaf names its event, so a row that was deleted shows as
 * a leaf without a row (missing), a changed row as a record that no longer hashes to its leaf (altered, or
 * out_of_order when it now holds the record of another leaf), a row the sealer has not reached as a row without
 * a leaf (not_sealed); and each leaf must be in the tree the latest checkpoint signs (not_in_checkpoint).
 */
async function verifyIncident(
  deps: AppDeps,
  scope: { leaves: SQL; rows: SQL },
): Promise<Omit<AuditVerification, "scope">> {
  const { db } = deps;
  const problems: AuditLogProblem[] = [];
  const logProblems: string[] = [];

  const checkpoint = await latestCheckpoint(db);
  let signedRoot: Buffer | null = null;
  if (checkpoint !== null) {
    signedRoot = hashFromBase64(checkpoint.root_hash);
    if (deps.checkpointSigner !== undefined) {
      try {
        openCheckpoint(checkpoint.note, parseVerifierKey(deps.checkpointSigner.verifierKey));
      } catch (err) {
        logProblems.push(
          `the latest checkpoint (tree size ${checkpoint.tree_size}) does not verify: ${(err as Error).message}`,
        );
      }
    }
    const stored = await treeRoot(storedNodeReader(db), checkpoint.tree_size).catch(() => null);
    if (stored === null || !hashEquals(stored, signedRoot)) {
      logProblems.push(
        `the stored tree of ${checkpoint.tree_size} leaves is not the one the latest checkpoint signs: the log was rewritten`,
      );
    }
  }

  const leaves = await selectLeaves(db, scope.leaves);
  const rows = await execute<RowRecord>(
    db,
    sql`SELECT e.event_id::text AS event_id, ${SEALED_RECORD} AS record FROM audit_events e WHERE ${scope.rows}`,
  );
  const leafOf = new Map(leaves.map((leaf) => [leaf.event_id, leaf]));
  // A row moved into or out of the scope (its correlation changed) is still compared with its own leaf.
  const strays = rows.filter((row) => !leafOf.has(row.event_id)).map((row) => row.event_id);
  if (strays.length > 0) {
    for (const leaf of await selectLeaves(db, sql`l.event_id = ANY(${`{${strays.join(",")}}`}::uuid[])`)) {
      leaves.push(leaf);
      leafOf.set(leaf.event_id, leaf);
    }
  }
  const recordOf = new Map(rows.map((row) => [row.event_id, parseSealedRecord(row.record)]));
  for (const leaf of leaves)
    if (!recordOf.has(leaf.event_id) && leaf.record !== null) recordOf.set(leaf.event_id, leaf.record);
  const leafByHash = new Map(leaves.map((leaf) => [leaf.leaf_hash, leaf]));
  const retention =
    deps.checkpointSigner === undefined
      ? []
      : await retentionRanges(db, parseVerifierKey(deps.checkpointSigner.verifierKey));
  const deletedByRetention: AuditVerification["deleted_by_retention"] = [];

  leaves.sort((a, b) => a.leaf_index - b.leaf_index);
  const signedSize = checkpoint?.tree_size ?? 0;
  const proven = leaves.filter((leaf) => leaf.leaf_index < signedSize);
  const proofList = await inclusionProofs(
    storedNodeReader(db),
    proven.map((leaf) => leaf.leaf_index),
    signedSize,
  ).catch(() => proven.map(() => []));
  const proofs = new Map(proven.map((leaf, i) => [leaf.leaf_index, proofList[i] ?? []]));
  for (const leaf of leaves) {
    const retained = retainedBy(retention, leaf.leaf_index);
    if (!recordOf.has(leaf.event_id) && retained !== undefined) {
      deletedByRetention.push({
        event_id: leaf.event_id,
        leaf_index: leaf.leaf_index,
        detail: `deleted by retention run ${retained.runId} (received before ${retained.cutoff}, as its signed statement says); its leaf stays in the log`,
      });
      continue;
    }
    problems.push(...checkLeaf(leaf, recordOf.get(leaf.event_id), leafByHash));
    if (checkpoint === null || signedRoot === null || leaf.leaf_index >= checkpoint.tree_size) {
      problems.push({
        event_id: leaf.event_id,
        leaf_index: leaf.leaf_index,
        problem: "not_sealed",
        detail: `sealed as leaf ${leaf.leaf_index} but not yet covered by a signed checkpoint (latest covers ${checkpoint?.tree_size ?? 0} leaves)`,
      });
      continue;
    }
    try {
      const proof = proofs.get(leaf.leaf_index) ?? [];
      verifyInclusion(
        leaf.leaf_index,
        checkpoint.tree_size,
        hashFromBase64(leaf.leaf_hash),
        proof,
        signedRoot,
      );
    } catch {
      problems.push({
        event_id: leaf.event_id,
        leaf_index: leaf.leaf_index,
        problem: "not_in_checkpoint",
        detail: `leaf ${leaf.leaf_index} is not in the tree of ${checkpoint.tree_size} leaves the latest checkpoint signs: its hash, or one it is proven with, was rewritten`,
      });
    }
  }
  markSwaps(problems, leafOf, recordOf);
  for (const row of rows) {
    if (leafOf.has(row.event_id)) continue;
    problems.push({
      event_id: row.event_id,
      leaf_index: null,
      problem: "not_sealed",
      detail: "stored but not sealed yet: the sealer appends committed records every SEAL_INTERVAL",
    });
  }
  // Nothing to verify is not a verified trail: a mistyped name, or an incident whose leaves are gone too.
  if (rows.length === 0 && leaves.length === 0)
    logProblems.push("nothing to verify: no record and no sealed leaf in this scope");
  return {
    verified: problems.length === 0 && logProblems.length === 0,
    checkpoint:
      checkpoint === null ? null : { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash },
    records: rows.length,
    leaves: leaves.length,
    problems,
    log_problems: logProblems,
    deleted_by_retention: deletedByRetention,
  };
}

/**
 * The leaves retention deleted the records of, as its `retention.deleted` records say: only records that are
 * themselves sealed and unchanged count, each with a statement signed by the log's key for that very record, so
 * deletions cannot be excused after the fact by someone without the key.
 */
async function retentionRanges(db: AppDeps["db"], verifier: NoteVerifier): Promise<RetentionRange[]> {
  const rows = await selectLeaves(db, sql`l.correlation_id = ${RETENTION_CORRELATION_ID}`);
  return rows.flatMap((leaf) => {
    if (leaf.record === null || toBase64(sealedLeafHash(leaf.record)) !== leaf.leaf_hash) return [];
    const range = retentionRangeOf(leaf.record, leaf.leaf_index, verifier);
    return range === null ? [] : [range];
  });
}

/** The fields whose exchange reorders two records of a timeline. */
export const ORDERING_FIELDS = [["occurred_at"], ["occurred_at", "received_at"], ["received_at"]];

/**
 * Altered records that are two rows swapped (their times or their contents exchanged) become out_of_order,
 * each naming the other.
 */
function markSwaps(
  problems: AuditLogProblem[],
  leafOf: ReadonlyMap<string, AuditLeaf>,
  recordOf: ReadonlyMap<string, SealedRecord>,
): void {
  const altered: AlteredEntry[] = problems
    .filter((p) => p.problem === "altered")
    .map((p) => {
      const leaf = leafOf.get(p.event_id) as AuditLeaf;
      return {
        id: p.event_id,
        leafIndex: leaf.leaf_index,
        leafHash: hashFromBase64(leaf.leaf_hash),
        record: recordOf.get(p.event_id) as Record<string, unknown>,
      };
    });
  for (const { a, b, fields } of findSwaps(altered, ORDERING_FIELDS, ["event_id"])) {
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const entry = problems.find((p) => p.event_id === self.id && p.problem === "altered");
      if (entry === undefined) continue;
      entry.problem = "out_of_order";
      entry.detail = `swapped with event ${other.id} (leaf ${other.leafIndex}): their ${fields.join(", ")} were exchanged after sealing`;
    }
  }
}

/** One leaf against the record stored for its event (undefined: the row is gone). */
function checkLeaf(
  leaf: AuditLeaf,
  record: SealedRecord | undefined,
  leafByHash: ReadonlyMap<string, AuditLeaf>,
): AuditLogProblem[] {
  const at = { event_id: leaf.event_id, leaf_index: leaf.leaf_index };
  if (record === undefined) {
    return [
      {
        ...at,
        problem: "missing",
        detail: `sealed as leaf ${leaf.leaf_index}, but its row is gone from audit_events`,
      },
    ];
  }
  const recomputed = toBase64(sealedLeafHash(record));
  if (recomputed === leaf.leaf_hash) return [];
  const other = leafByHash.get(recomputed);
  if (other !== undefined) {
    return [
      {
        ...at,
        problem: "out_of_order",
        detail: `its row now holds the record sealed as leaf ${other.leaf_index} (event ${other.event_id}): rows were swapped`,
      },
    ];
  }
  return [
    {
      ...at,
      problem: "altered",
      detail: `its stored record no longer hashes to leaf ${leaf.leaf_index}: a field was changed after it was sealed`,
    },
  ];
}

export function registerVerifyRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(verifyRoute, async (c) => {
    const query = c.req.valid("query");
    const scope =
      query.correlation_id !== undefined
        ? {
            leaves: sql`l.correlation_id = ${query.correlation_id}`,
            rows: sql`e.correlation_id = ${query.correlation_id}`,
          }
        : {
            leaves: sql`l.alert_fingerprint = ${query.fingerprint}`,
            rows: sql`e.alert_fingerprint = ${query.fingerprint}`,
          };
    const result = await verifyIncident(c.var.deps, scope);
    const shown =
      query.correlation_id !== undefined
        ? { correlation_id: query.correlation_id }
        : { fingerprint: query.fingerprint };
    return c.json({ ...result, scope: shown }, 200);
  });
}
