import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  type Checkpoint,
  type ExportRecordLine,
  type ExportTrailer,
  type Hash,
  hashEquals,
  hashFromBase64,
  isRedactedAt,
  type NoteVerifier,
  openCheckpoint,
  openExportManifest,
  type RetentionRange,
  recordLeafHash,
  retainedBy,
  retentionRangeOf,
  rootFromInclusionProof,
  verifyConsistency,
} from "@kubernaut/tlog";
import type { TrustedCheckpoint } from "./checkpoints.js";
import type { Reporter } from "./verify.js";

/** The lines of a file as their exact bytes, each with its newline (the last one may lack it): constant memory. */
export async function* rawLines(path: string): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const buffer = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    let start = 0;
    for (let end = buffer.indexOf(10); end >= 0; end = buffer.indexOf(10, start)) {
      yield buffer.subarray(start, end + 1);
      start = end + 1;
    }
    rest = Buffer.from(buffer.subarray(start));
  }
  if (rest.length > 0) yield rest;
}

function parseTrailer(line: Buffer | undefined): ExportTrailer | string {
  if (line === undefined) return "the file is empty";
  try {
    const trailer = JSON.parse(line.toString("utf8")) as Partial<ExportTrailer>;
    if (typeof trailer.checkpoint === "string" && typeof trailer.manifest === "string")
      return { checkpoint: trailer.checkpoint, manifest: trailer.manifest };
  } catch {}
  return "its last line is not the trailer (checkpoint and manifest): the export is truncated or not an export";
}

function parseRecordLine(line: Buffer): ExportRecordLine | null {
  try {
    const value = JSON.parse(line.toString("utf8")) as ExportRecordLine;
    const ok =
      Number.isSafeInteger(value.leaf_index) &&
      value.leaf_index >= 0 &&
      typeof value.event_id === "string" &&
      typeof value.leaf_hash === "string" &&
      (value.record === null || (typeof value.record === "object" && !Array.isArray(value.record))) &&
      Array.isArray(value.inclusion_proof) &&
      value.inclusion_proof.every((h) => typeof h === "string") &&
      (value.redacted === undefined ||
        (Array.isArray(value.redacted) &&
          value.redacted.length > 0 &&
          value.record !== null &&
          value.redacted.every((p) => typeof p === "string")));
    return ok ? value : null;
  } catch {
    return null;
  }
}

export interface ExportVerifyOptions {
  path: string;
  /** How failures name the file, when not by its path (a file of a bundle). */
  label?: string;
  verifier: NoteVerifier;
  /** Checkpoints the reviewer holds: the export's tree must agree with each. */
  trusted: readonly TrustedCheckpoint[];
  /** Fetches a consistency proof (from the service, when the reviewer gave one): else sizes that differ are noted. */
  consistencyProof?: (from: number, to: number) => Promise<Hash[]>;
}

/**
 * Verifies an export file (`GET /api/v1/audit/export`) offline: the checkpoint and the manifest signed by the key,
 * the manifest's SHA-256 and counts over the record lines, and each record hashing to its leaf and proved in the
 * checkpoint's tree (a record that is gone must be named by a sealed retention event in the export); then the
 * export's tree against the checkpoints held. Reads the file twice, a line at a time.
 * Answers false when anything failed, each failure a `fail` line naming the file and, where one is at fault, the
 * record.
 */
export async function verifyExportFile(options: ExportVerifyOptions, report: Reporter): Promise<boolean> {
  const { path, verifier } = options;
  const name = options.label ?? path;
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    report.fail(line);
  };

  let last: Buffer | undefined;
  let lines = 0;
  for await (const line of rawLines(path)) {
    last = line;
    lines++;
  }
  const trailer = parseTrailer(last);
  if (typeof trailer === "string") {
    fail(`${name}: ${trailer}`);
    return false;
  }
  let tree: Checkpoint;
  try {
    tree = openCheckpoint(trailer.checkpoint, verifier);
  } catch (err) {
    fail(`forged checkpoint: ${name}: the export's checkpoint: ${(err as Error).message}`);
    return false;
  }
  let manifest: ReturnType<typeof openExportManifest>;
  try {
    manifest = openExportManifest(trailer.manifest, verifier);
  } catch (err) {
    fail(`forged manifest: ${name}: ${(err as Error).message}`);
    return false;
  }
  if (manifest.treeSize !== tree.size || !hashEquals(manifest.root, tree.root)) {
    fail(
      `${name}: the manifest names a tree of ${manifest.treeSize} leaves, not the checkpoint's ${tree.size}`,
    );
    return false;
  }
  report.ok(
    `${name}: checkpoint of ${tree.size} leaves and manifest (${manifest.query}) signed by ${verifier.name}`,
  );

  const digest = createHash("sha256");
  let lineNumber = 0;
  let records = 0;
  let missing = 0;
  let redacted = 0;
  let previous = -1;
  const gone: { leafIndex: number; at: string }[] = [];
  const retention: RetentionRange[] = [];
  for await (const line of rawLines(path)) {
    lineNumber++;
    if (lineNumber === lines) break;
    digest.update(line);
    records++;
    const entry = parseRecordLine(line);
    const where = (id: string, leaf: number) => `${name} line ${lineNumber}: event ${id} (leaf ${leaf})`;
    if (entry === null) {
      fail(`${name} line ${lineNumber}: not a record line of an export`);
      continue;
    }
    const at = where(entry.event_id, entry.leaf_index);
    if (entry.leaf_index <= previous) fail(`out of order: ${at}: leaves must come in increasing order`);
    previous = Math.max(previous, entry.leaf_index);
    let proven: Hash | null = null;
    try {
      const leafHash = hashFromBase64(entry.leaf_hash);
      const proof = entry.inclusion_proof.map(hashFromBase64);
      const inTree = (hash: Hash) =>
        hashEquals(rootFromInclusionProof(entry.leaf_index, tree.size, hash, proof), tree.root);
      if (inTree(leafHash)) proven = leafHash;
      else fail(`not in the checkpointed tree: ${at}: its proof does not lead to the signed root`);
      if (entry.record === null) {
        missing++;
        if (proven !== null) gone.push({ leafIndex: entry.leaf_index, at });
      } else if (entry.redacted !== undefined) {
        // Its leaf is proved above; the record cannot hash to it, and the signed manifest vouches for it.
        redacted++;
        if (entry.record.event_id !== entry.event_id)
          fail(`altered: ${at}: the redacted record names another event`);
        else if (!isRedactedAt(entry.record, entry.redacted))
          fail(`altered: ${at}: a field the line says is redacted holds a clear value`);
      } else if (
        proven !== null &&
        (entry.record.event_id !== entry.event_id || !hashEquals(recordLeafHash(entry.record), proven))
      ) {
        fail(`altered: ${at}: the record no longer hashes to its sealed leaf`);
      } else if (proven !== null) {
        const range = retentionRangeOf(entry.record, entry.leaf_index, verifier);
        if (range !== null) retention.push(range);
      }
    } catch (err) {
      fail(`${at}: ${(err as Error).message}`);
    }
  }
  // A record is gone with good reason only if a sealed retention event in the export names its leaf.
  for (const { leafIndex, at } of gone) {
    const run = retainedBy(retention, leafIndex);
    if (run === undefined) fail(`missing: ${at}: sealed, but the export holds no record for it`);
    else report.note(`deleted by retention: ${at}, run ${run.runId} (received before ${run.cutoff})`);
  }
  const sha256 = digest.digest("hex");
  if (sha256 !== manifest.sha256)
    fail(`${name}: the record lines do not match the manifest's SHA-256: the file was changed`);
  if (records !== manifest.records || missing !== manifest.missing) {
    fail(
      `${name}: ${records} record lines (${missing} without a record), but the manifest says ${manifest.records} (${manifest.missing})`,
    );
  }
  // Nothing to verify is not a verified export: a mistyped scope, or records not sealed yet when it was taken.
  if (records === 0) fail(`${name}: no record line (${manifest.query}): nothing to verify`);
  if (ok && redacted > 0)
    report.ok(
      `${name}: ${records - missing} records in the tree of ${tree.size} leaves; ${records - missing - redacted} unchanged, ${redacted} with fields redacted (${manifest.query}): each proved by its sealed leaf, its redacted form vouched for by the signed manifest`,
    );
  else if (ok)
    report.ok(`${name}: ${records - missing} records, each unchanged and in the tree of ${tree.size} leaves`);

  for (const held of options.trusted) {
    if (held.size === tree.size) {
      if (!hashEquals(held.root, tree.root))
        fail(`fork: ${held.from} and ${name} sign different trees of ${tree.size} leaves`);
      else report.ok(`${held.from}: the same tree as the export's checkpoint`);
      continue;
    }
    const [small, large] = held.size < tree.size ? [held, tree] : [tree, held];
    if (options.consistencyProof === undefined) {
      report.note(
        `${held.from}: ${held.size} leaves, the export ${tree.size}: give --url to check their consistency`,
      );
      continue;
    }
    const proof = await options.consistencyProof(small.size, large.size);
    try {
      verifyConsistency(small.size, large.size, proof, small.root, large.root);
      report.ok(`consistent: ${small.size} → ${large.size} leaves (${held.from} and ${name})`);
    } catch (err) {
      fail(
        `not consistent: ${held.from} (${held.size} leaves) and the export's checkpoint (${tree.size}): the log was rewritten or truncated (${(err as Error).message})`,
      );
    }
  }
  return ok;
}
