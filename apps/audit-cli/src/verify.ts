import {
  type AlteredEntry,
  type Checkpoint,
  Frontier,
  findSwaps,
  hashEquals,
  type NoteVerifier,
  openCheckpoint,
  RETENTION_CORRELATION_ID,
  RETENTION_DELETED_EVENT,
  type RetentionRange,
  recordLeafHash,
  retainedBy,
  retentionRangeOf,
  rootFromInclusionProof,
  toBase64,
  verifyConsistency,
} from "@kubernaut/tlog";
import type { TrustedCheckpoint } from "./checkpoints.js";
import type { AuditLogSource, Scope, SourceLeaf } from "./source.js";

/** Where each verdict goes: `fail` lines name what failed; `ok` and `note` lines say what was checked. */
export interface Reporter {
  ok(line: string): void;
  note(line: string): void;
  fail(line: string): void;
}

export interface VerifyOptions {
  verifier: NoteVerifier;
  /** Checkpoints published outside the database, already opened with the key. */
  trusted: readonly TrustedCheckpoint[];
  source: AuditLogSource;
  scope: Scope;
}

/**
 * The leaves the retention records among `leaves` vouch for, each signed by `verifier`; `proven` tells whether a
 * leaf is in the signed tree.
 */
function retentionRanges(
  leaves: readonly SourceLeaf[],
  proven: (leaf: SourceLeaf) => boolean,
  verifier: NoteVerifier,
): RetentionRange[] {
  return leaves.flatMap((leaf) => {
    const record = leaf.record;
    if (record === null || record.event_id !== leaf.eventId) return [];
    if (!hashEquals(recordLeafHash(record), leaf.leafHash) || !proven(leaf)) return [];
    const range = retentionRangeOf(record, leaf.leafIndex, verifier);
    return range === null ? [] : [range];
  });
}

/** Fields whose exchange between two records reorders a timeline (see `findSwaps`). */
const ORDERING_FIELDS = [["occurred_at"], ["occurred_at", "received_at"], ["received_at"]];

/**
 * Verifies the audit trail with no trust in the source: the source's latest checkpoint must be signed by the key;
 * every checkpoint held (and the source's) must be consistent with the next larger one; the source must not have
 * fewer leaves than a checkpoint held (rolled back); and every record in scope must hash to a leaf that is in the
 * newest checkpoint's tree. Answers false when anything failed (each failure reported as a line).
 */
export async function verifyAuditTrail(options: VerifyOptions, report: Reporter): Promise<boolean> {
  let failed = false;
  const fail = (line: string) => {
    failed = true;
    report.fail(line);
  };
  const { verifier, source } = options;

  // 1. The chain of checkpoints: those held, then the source's latest.
  const chain: (Checkpoint & { from: string })[] = [...options.trusted];
  const note = await source.latestCheckpoint();
  if (note === null) {
    fail(`${source.name} has no signed checkpoint`);
  } else {
    try {
      const latest = openCheckpoint(note, verifier);
      report.ok(`${source.name}: latest checkpoint, ${latest.size} leaves, signed by ${verifier.name}`);
      chain.push({ ...latest, from: `${source.name}'s latest checkpoint` });
    } catch (err) {
      fail(`forged checkpoint: ${source.name}'s latest checkpoint: ${(err as Error).message}`);
    }
  }
  chain.sort((a, b) => a.size - b.size);
  const newest = chain.at(-1);
  const served = chain.find((c) => c.from.endsWith("latest checkpoint"));
  if (served !== undefined && newest !== undefined && served.size < newest.size) {
    fail(
      `rolled back: ${source.name} has a tree of ${served.size} leaves, fewer than the ${newest.size} of ${newest.from}`,
    );
  }
  for (let i = 1; i < chain.length; i++) {
    const [a, b] = [chain[i - 1], chain[i]] as [(typeof chain)[number], (typeof chain)[number]];
    if (a.size === b.size) {
      if (!hashEquals(a.root, b.root))
        fail(`fork: ${a.from} and ${b.from} sign different trees of ${a.size} leaves`);
      continue;
    }
    try {
      const proof = await source.consistencyProof(a.size, b.size);
      verifyConsistency(a.size, b.size, proof, a.root, b.root);
      report.ok(`consistent: ${a.size} → ${b.size} leaves (${a.from} → ${b.from})`);
    } catch (err) {
      fail(
        `not consistent: the tree of ${b.size} leaves (${b.from}) does not extend the tree of ${a.size} leaves (${a.from}): the log was rewritten or truncated (${(err as Error).message})`,
      );
    }
  }
  if (options.trusted.length === 0) {
    report.note(
      "no published checkpoints given (--checkpoints): a truncated or rewritten log cannot be detected before the service's latest checkpoint",
    );
  }
  if (newest === undefined) return !failed;

  // 2. The records in scope, against the newest checkpoint's tree.
  const target = served ?? newest;
  if ("all" in options.scope) {
    failed = !(await verifyAll(source, target, report, fail, verifier)) || failed;
  } else {
    failed = !(await verifyIncident(source, options.scope, target, report, fail, verifier)) || failed;
  }
  return !failed;
}

/** An incident's leaves: each record must hash to a leaf proven in the tree. */
async function verifyIncident(
  source: AuditLogSource,
  scope: { correlationId: string } | { fingerprint: string },
  tree: Checkpoint,
  report: Reporter,
  fail: (line: string) => void,
  verifier: NoteVerifier,
): Promise<boolean> {
  const name =
    "correlationId" in scope ? `correlation id ${scope.correlationId}` : `fingerprint ${scope.fingerprint}`;
  const leaves = await source.incidentLeaves(scope, tree.size);
  const inTreeAt = (leaf: SourceLeaf, hash: Buffer) => {
    try {
      return hashEquals(
        rootFromInclusionProof(leaf.leafIndex, tree.size, hash, leaf.inclusionProof ?? []),
        tree.root,
      );
    } catch {
      return false;
    }
  };
  const retention = leaves.some((leaf) => leaf.record === null)
    ? retentionRanges(
        await source.incidentLeaves({ correlationId: RETENTION_CORRELATION_ID }, tree.size),
        (leaf) => inTreeAt(leaf, leaf.leafHash),
        verifier,
      )
    : [];
  let ok = true;
  const problem = (line: string) => {
    ok = false;
    fail(line);
  };
  const altered: AlteredEntry[] = [];
  const lines = new Map<string, string>();
  for (const leaf of leaves) {
    const where = `event ${leaf.eventId} (leaf ${leaf.leafIndex})`;
    const inTree = (hash: Buffer) => inTreeAt(leaf, hash);
    if (!inTree(leaf.leafHash)) {
      problem(`not in the checkpointed tree: ${where}: the leaf is not in the tree of ${tree.size} leaves`);
      continue;
    }
    if (leaf.record === null) {
      const retained = retainedBy(retention, leaf.leafIndex);
      if (retained !== undefined) {
        report.note(
          `deleted by retention: ${where}, run ${retained.runId} (received before ${retained.cutoff})`,
        );
      } else {
        problem(`missing: ${where}: sealed, but ${source.name} has no record for it`);
      }
      continue;
    }
    if (leaf.record.event_id !== leaf.eventId || !inTree(recordLeafHash(leaf.record))) {
      altered.push({
        id: leaf.eventId,
        leafIndex: leaf.leafIndex,
        leafHash: leaf.leafHash,
        record: leaf.record,
      });
      lines.set(leaf.eventId, `altered: ${where}: the record no longer hashes to its sealed leaf`);
    }
  }
  for (const { a, b, fields } of findSwaps(altered, ORDERING_FIELDS, ["event_id"])) {
    lines.set(
      a.id,
      `out of order: event ${a.id} (leaf ${a.leafIndex}) swapped with event ${b.id} (leaf ${b.leafIndex}): their ${fields.join(", ")} were exchanged`,
    );
    lines.set(
      b.id,
      `out of order: event ${b.id} (leaf ${b.leafIndex}) swapped with event ${a.id} (leaf ${a.leafIndex}): their ${fields.join(", ")} were exchanged`,
    );
  }
  for (const line of lines.values()) problem(line);
  // Nothing to verify is not a verified trail: a mistyped name, or an incident whose leaves are gone too.
  if (leaves.length === 0)
    problem(
      `${name}: no records sealed in the tree of ${tree.size} leaves: nothing to verify (a mistyped name, or records not sealed yet)`,
    );
  if (ok) report.ok(`${name}: ${leaves.length} records, each in the tree of ${tree.size} leaves`);
  report.note("records sealed after the newest checkpoint are verified with the next one");
  return ok;
}

/** Every leaf: the tree rebuilt from the records must have the checkpoint's root. */
async function verifyAll(
  source: AuditLogSource,
  tree: Checkpoint,
  report: Reporter,
  fail: (line: string) => void,
  verifier: NoteVerifier,
): Promise<boolean> {
  const fromRecords = Frontier.empty();
  const fromLeaves = Frontier.empty();
  const suspects: SourceLeaf[] = [];
  const altered: AlteredEntry[] = [];
  const retentionEvents: SourceLeaf[] = [];
  let missing = 0;
  for (let start: number | null = 0; start !== null && start < tree.size; ) {
    const page = await source.leafRange(start, tree.size);
    for (const leaf of page.leaves) {
      if (leaf.leafIndex !== fromLeaves.size) {
        fail(`${source.name} skipped leaves: expected leaf ${fromLeaves.size}, got ${leaf.leafIndex}`);
        return false;
      }
      fromLeaves.append(leaf.leafHash);
      if (leaf.record === null) {
        missing++;
        suspects.push(leaf);
        fromRecords.append(leaf.leafHash);
        continue;
      }
      const hash = recordLeafHash(leaf.record);
      fromRecords.append(hash);
      if (leaf.record.event_type === RETENTION_DELETED_EVENT) retentionEvents.push(leaf);
      if (!hashEquals(hash, leaf.leafHash) || leaf.record.event_id !== leaf.eventId) {
        altered.push({
          id: leaf.eventId,
          leafIndex: leaf.leafIndex,
          leafHash: leaf.leafHash,
          record: leaf.record,
        });
      }
    }
    start = page.next;
  }
  if (fromLeaves.size !== tree.size) {
    fail(`${source.name} gave ${fromLeaves.size} leaves for a tree of ${tree.size}`);
    return false;
  }
  // With every record present the rebuilt root proves them all; otherwise the leaves must be the signed ones.
  const rebuilt = hashEquals(fromRecords.root(), tree.root);
  const rewritten = !rebuilt && !hashEquals(fromLeaves.root(), tree.root);
  if (rewritten) {
    fail(
      `the leaves ${source.name} holds do not form the signed tree of ${tree.size} leaves: the log was rewritten`,
    );
  }
  // Every leaf is one of the signed tree's unless it was rewritten: only then does a retention event that hashes
  // to its leaf prove anything. The records are checked against their leaves either way, each fault named.
  const retention = rewritten ? [] : retentionRanges(retentionEvents, () => true, verifier);
  let retained = 0;
  let unexplained = 0;
  for (const leaf of suspects) {
    const run = retainedBy(retention, leaf.leafIndex);
    if (run !== undefined) {
      retained++;
      continue;
    }
    unexplained++;
    fail(
      `missing: event ${leaf.eventId} (leaf ${leaf.leafIndex}): sealed, but ${source.name} has no record for it`,
    );
  }
  if (retained > 0)
    report.note(`${retained} records deleted by retention (their leaves are in the signed tree)`);
  if (!rewritten && unexplained === 0 && altered.length === 0) {
    report.ok(
      rebuilt
        ? `all ${tree.size} records rebuild the signed root ${toBase64(tree.root)}`
        : `all ${tree.size - retained} records kept hash to their leaves, and the leaves form the signed tree`,
    );
    return true;
  }
  const swapped = new Set<string>();
  for (const { a, b, fields } of findSwaps(altered, ORDERING_FIELDS, ["event_id"])) {
    swapped.add(a.id).add(b.id);
    fail(
      `out of order: events ${a.id} (leaf ${a.leafIndex}) and ${b.id} (leaf ${b.leafIndex}) were swapped: their ${fields.join(", ")} were exchanged`,
    );
  }
  for (const entry of altered) {
    if (!swapped.has(entry.id))
      fail(
        `altered: event ${entry.id} (leaf ${entry.leafIndex}): the record no longer hashes to its sealed leaf`,
      );
  }
  report.note(
    `${tree.size} leaves checked: ${missing - retained} missing, ${altered.length} altered or swapped`,
  );
  return false;
}
