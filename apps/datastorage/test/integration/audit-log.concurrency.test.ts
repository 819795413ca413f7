import { randomUUID } from "node:crypto";
import type { AuditLeafList } from "@kubernaut/schema";
import { Frontier, hashFromBase64, openCheckpoint, parseVerifierKey, recordLeafHash } from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";
import { BATCH, ORCHESTRATION, orchestration } from "../support/audit-records.js";

/**
 * No false positives: records sharing one timestamp, written by 4 concurrent clients (batches and single POSTs
 * interleaved) while the sealer runs, all seal once and verify: 100,000 records (about 30 s on PostgreSQL, 45 s on
 * PGlite, on two idle cores); AUDIT_LOG_RECORDS changes the count.
 */
const TOTAL = Number(process.env.AUDIT_LOG_RECORDS ?? 100_000);
const CLIENTS = 4;
const SAME_TIME = "2026-11-20T10:00:00.000Z";
let t: AuditLogApp;
const written = new Set<string>();

beforeAll(async () => {
  // SEAL_MAX_LAG=0: the sealer runs beside the writes instead of waiting for them to end.
  t = await openAuditLogApp({ env: { CHECKPOINT_EVERY: "500", SEAL_BATCH_SIZE: "200", SEAL_MAX_LAG: "0" } });
});
afterAll(async () => {
  await t.close();
});

function record(client: number, i: number) {
  const event_id = randomUUID();
  written.add(event_id);
  return orchestration({
    event_id,
    remediation_name: `rr-${client}-${i % 25}`,
    alert_fingerprint: `fp-${i % 40}`,
    overall_phase: "processing",
    start_time: SAME_TIME,
    occurred_at: SAME_TIME,
  });
}

async function client(index: number, count: number): Promise<void> {
  for (let i = 0; i < count; ) {
    if (i % 3 === 0) {
      const size = Math.min(50, count - i);
      const records = Array.from({ length: size }, (_, j) => ({
        kind: "remediation-orchestration",
        ...record(index, i + j),
      }));
      const res = await t.post(BATCH, { records });
      expect(res.status).toBe(201);
      i += size;
    } else {
      const res = await t.post(ORCHESTRATION, record(index, i));
      expect(res.status).toBe(201);
      i += 1;
    }
  }
}

describe("concurrent writers, one timestamp, the sealer running", () => {
  it(`seals all ${TOTAL} records once and every incident verifies`, { timeout: 600_000 }, async () => {
    let writing = true;
    const sealing = (async () => {
      let passes = 0;
      while (writing) {
        await t.seal();
        passes++;
      }
      return passes;
    })();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, TOTAL / CLIENTS)));
    writing = false;
    expect(await sealing).toBeGreaterThan(0);
    // A final pass after the last write, and a checkpoint of everything (CHECKPOINT_EVERY aside).
    await t.seal();
    t.deps.config.CHECKPOINT_EVERY = 1;
    await t.seal();

    const latest = await t.latest();
    expect(latest.tree_size).toBe(TOTAL);
    const root = openCheckpoint(latest.note, parseVerifierKey(t.signer.verifierKey)).root;
    // The whole tree rebuilt from the stored records has the signed root; every event is one leaf.
    const frontier = Frontier.empty();
    const seen = new Set<string>();
    for (let start: number | null = 0; start !== null; ) {
      const page: AuditLeafList = await t.leaves(`start=${start}&limit=10000`);
      for (const leaf of page.items) {
        expect(leaf.leaf_index).toBe(frontier.size);
        frontier.append(recordLeafHash(leaf.record));
        expect(hashFromBase64(leaf.leaf_hash).equals(recordLeafHash(leaf.record))).toBe(true);
        seen.add(leaf.event_id);
      }
      start = page.next_start;
    }
    expect(frontier.root().equals(root)).toBe(true);
    expect(seen).toEqual(written);
    for (const correlation of ["rr-0-0", "rr-1-7", "rr-2-13", "rr-3-24"]) {
      const result = await t.verify(correlation);
      expect(result, correlation).toMatchObject({ verified: true, problems: [], log_problems: [] });
      expect(result.records).toBe(result.leaves);
    }
  });
});
