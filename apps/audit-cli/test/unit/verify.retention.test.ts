import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkpointText,
  Frontier,
  generateSignerKey,
  type Hash,
  inclusionProofs,
  type NodeReader,
  parseSignerKey,
  parseVerifierKey,
  RETENTION_CORRELATION_ID,
  RETENTION_DELETED_EVENT,
  recordLeafHash,
  signExportManifest,
  signNote,
  signRetentionStatement,
  toBase64,
} from "@kubernaut/tlog";
import { describe, expect, it } from "vitest";
import { verifyExportFile } from "../../src/export-file.js";
import type { AuditLogSource, SourceLeaf } from "../../src/source.js";
import { type Reporter, verifyAuditTrail } from "../../src/verify.js";

/**
 * The verifier over a log held in memory (pure logic: a real Merkle tree and real signatures): records deleted by
 * retention are explained by a sealed retention event, and only by one that is genuine and names their leaves.
 */
const KEY = generateSignerKey("audit.test/retention");
const signer = parseSignerKey(KEY.signerKey);
const verifier = parseVerifierKey(KEY.verifierKey);

const record = (i: number, correlation = "rr-a", extra: Record<string, unknown> = {}) => ({
  event_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  correlation_id: correlation,
  alert_fingerprint: `fp-${correlation}`,
  event_type: "remediation-orchestration.processing",
  source: "orchestrator",
  occurred_at: `2026-01-01T00:00:0${i}.000000Z`,
  received_at: `2026-01-01T00:00:0${i}.000000Z`,
  payload: {},
  ...extra,
});
/** A retention record whose statement, signed by `by`, says it deleted the records of leaves [from, to). */
const retentionEvent = (i: number, from: number, to: number, by = signer) => {
  const event = record(i, RETENTION_CORRELATION_ID, {
    event_type: RETENTION_DELETED_EVENT,
    source: "datastorage",
  });
  const statement = {
    origin: by.name,
    eventId: event.event_id,
    runId: "run-1",
    cutoff: "2026-01-01T00:00:00.000Z",
    leaves: [[from, to] as const],
  };
  return {
    ...event,
    payload: {
      run_id: "run-1",
      from_leaf: from,
      to_leaf: to,
      cutoff: statement.cutoff,
      deleted: to - from,
      leaves: statement.leaves,
      note: signRetentionStatement(statement, by),
    },
  };
};

/** The Merkle tree of `records`, held in memory: its leaf hashes, a reader of its subtrees, its root. */
function memoryTree(records: Record<string, unknown>[]) {
  const hashes = records.map((r) => recordLeafHash(r));
  const subtree = (from: number, to: number) => {
    const frontier = Frontier.empty();
    for (const hash of hashes.slice(from, to)) frontier.append(hash);
    return frontier.root();
  };
  const reader: NodeReader = {
    async readNodes(ids) {
      return ids.map(({ level, index }) => subtree(index * 2 ** level, (index + 1) * 2 ** level));
    },
  };
  return { hashes, reader, root: subtree(0, hashes.length) };
}

/** A source over `records` (sealed as leaves in order), of which those in `deleted` are gone. */
function memorySource(
  records: Record<string, unknown>[],
  deleted: Set<number>,
  stored = records,
): AuditLogSource {
  const { hashes, reader, root } = memoryTree(records);
  const note = signNote(checkpointText({ origin: verifier.name, size: hashes.length, root }), [signer]);
  const leaf = (i: number, proof?: Hash[]): SourceLeaf => ({
    leafIndex: i,
    eventId: String(records[i]?.event_id),
    leafHash: hashes[i] as Hash,
    record: deleted.has(i) ? null : (stored[i] ?? null),
    ...(proof ? { inclusionProof: proof } : {}),
  });
  return {
    name: "memory",
    latestCheckpoint: async () => note,
    consistencyProof: async () => [],
    async incidentLeaves(scope, size) {
      const indexes = records
        .map((r, i) => ("correlationId" in scope ? r.correlation_id === scope.correlationId : false) && i)
        .filter((i): i is number => i !== false && i < size);
      const proofs = await inclusionProofs(reader, indexes, size);
      return indexes.map((i, k) => leaf(i, proofs[k]));
    },
    async leafRange(start, size) {
      return { leaves: Array.from({ length: size - start }, (_, k) => leaf(start + k)), next: null };
    },
  };
}

async function check(source: AuditLogSource, scope: { correlationId: string } | { all: true }) {
  const lines: string[] = [];
  const report: Reporter = {
    ok: (l) => lines.push(`ok ${l}`),
    note: (l) => lines.push(`note ${l}`),
    fail: (l) => lines.push(`FAIL ${l}`),
  };
  const verified = await verifyAuditTrail({ verifier, trusted: [], source, scope }, report);
  return { verified, lines };
}

const records = [record(0), record(1), record(2), record(3, "rr-b"), retentionEvent(4, 0, 3), record(5)];

describe("verify with records deleted by retention", () => {
  it("notes each deletion the sealed retention event names, incident by incident and over the whole log", async () => {
    const source = memorySource(records, new Set([0, 1, 2]));
    const incident = await check(source, { correlationId: "rr-a" });
    expect(incident.verified, incident.lines.join("\n")).toBe(true);
    expect(incident.lines.filter((l) => l.startsWith("note deleted by retention"))).toHaveLength(3);
    const all = await check(source, { all: true });
    expect(all.verified, all.lines.join("\n")).toBe(true);
    expect(all.lines).toContain("note 3 records deleted by retention (their leaves are in the signed tree)");
  });

  it("calls missing a record outside every range, or one sealed after the event that would name it", async () => {
    const beyond = memorySource(
      [record(0), record(1), retentionEvent(2, 0, 5), record(3), record(5)],
      new Set([0, 3]),
    );
    const result = await check(beyond, { correlationId: "rr-a" });
    expect(result.verified).toBe(false);
    expect(result.lines.filter((l) => l.startsWith("FAIL missing"))).toEqual([
      expect.stringContaining("(leaf 3)"),
    ]);
  });

  it("does not take the word of a sealed retention record signed by another key, nor for leaves it does not name", async () => {
    const other = parseSignerKey(generateSignerKey("audit.test/retention").signerKey);
    const forged = [
      record(0),
      record(1),
      record(2),
      record(3, "rr-b"),
      retentionEvent(4, 0, 3, other),
      record(5),
    ];
    const result = await check(memorySource(forged, new Set([0, 1, 2])), { correlationId: "rr-a" });
    expect(result.verified).toBe(false);
    expect(result.lines.filter((l) => l.startsWith("FAIL missing"))).toHaveLength(3);
    const all = await check(memorySource(forged, new Set([0, 1, 2])), { all: true });
    expect(all.lines.filter((l) => l.startsWith("FAIL missing"))).toHaveLength(3);

    const partial = [record(0), record(1), record(2), record(3, "rr-b"), retentionEvent(4, 0, 1), record(5)];
    const some = await check(memorySource(partial, new Set([0, 1])), { correlationId: "rr-a" });
    expect(some.verified).toBe(false);
    expect(some.lines.filter((l) => l.startsWith("FAIL missing"))).toEqual([
      expect.stringContaining("(leaf 1)"),
    ]);
  });

  it("does not take the word of a retention event that was altered to name more leaves", async () => {
    const stored = [...records];
    stored[4] = retentionEvent(4, 0, 4);
    const source = memorySource(records, new Set([0, 1, 2, 3]), stored);
    const incident = await check(source, { correlationId: "rr-b" });
    expect(incident.verified).toBe(false);
    expect(incident.lines).toContainEqual(expect.stringMatching(/^FAIL missing: event .*3 \(leaf 3\)/));
    const all = await check(source, { all: true });
    expect(all.verified).toBe(false);
    expect(all.lines).toContainEqual(expect.stringMatching(/^FAIL altered: event .*4 \(leaf 4\)/));
  });
});

/** An export file of `lines` (leaf indexes of `records`, records in `deleted` gone), as the service writes one. */
async function exportFile(
  records: Record<string, unknown>[],
  lines: number[],
  deleted: Set<number>,
): Promise<string> {
  const source = memorySource(records, deleted);
  const note = (await source.latestCheckpoint()) as string;
  const all = (await source.leafRange(0, records.length)).leaves;
  const { hashes, reader, root } = memoryTree(records);
  const proofs = await inclusionProofs(reader, lines, records.length);
  const body = lines
    .map((i, k) =>
      JSON.stringify({
        leaf_index: i,
        event_id: all[i]?.eventId,
        leaf_hash: toBase64(hashes[i] as Hash),
        record: all[i]?.record ?? null,
        inclusion_proof: (proofs[k] ?? []).map(toBase64),
      }),
    )
    .map((line) => `${line}\n`)
    .join("");
  const manifest = signExportManifest(
    {
      origin: verifier.name,
      treeSize: records.length,
      root,
      query: "correlation_id=rr-a&format=ndjson",
      records: lines.length,
      missing: lines.filter((i) => deleted.has(i)).length,
      sha256: createHash("sha256").update(body).digest("hex"),
      exportedAt: "2026-12-04T00:00:00.000Z",
    },
    signer,
  );
  const path = join(await mkdtemp(join(tmpdir(), "export-retention-")), "export.ndjson");
  await writeFile(path, `${body}${JSON.stringify({ checkpoint: note, manifest })}\n`);
  return path;
}

async function checkFile(path: string) {
  const lines: string[] = [];
  const report: Reporter = {
    ok: (l) => lines.push(`ok ${l}`),
    note: (l) => lines.push(`note ${l}`),
    fail: (l) => lines.push(`FAIL ${l}`),
  };
  return { verified: await verifyExportFile({ path, verifier, trusted: [] }, report), lines };
}

describe("verify --export with records deleted by retention", () => {
  it("notes the records a sealed retention event in the export names, and fails those it does not", async () => {
    const explained = await checkFile(await exportFile(records, [0, 1, 2, 4], new Set([0, 1, 2])));
    expect(explained.verified, explained.lines.join("\n")).toBe(true);
    expect(explained.lines.filter((l) => l.startsWith("note deleted by retention"))).toHaveLength(3);

    const withoutEvidence = await checkFile(await exportFile(records, [0, 1, 2], new Set([0, 1, 2])));
    expect(withoutEvidence.verified).toBe(false);
    expect(withoutEvidence.lines.filter((l) => l.startsWith("FAIL missing"))).toHaveLength(3);

    const later = [record(0), retentionEvent(1, 0, 1), record(2), record(3)];
    const outside = await checkFile(await exportFile(later, [0, 1, 2], new Set([0, 2])));
    expect(outside.verified).toBe(false);
    expect(outside.lines.filter((l) => l.startsWith("FAIL missing"))).toEqual([
      expect.stringContaining("(leaf 2)"),
    ]);
  });
});
