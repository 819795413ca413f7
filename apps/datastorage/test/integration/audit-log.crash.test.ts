import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditCheckpoint, AuditConsistencyProof, AuditLeafList } from "@kubernaut/schema";
import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import {
  Frontier,
  generateSignerKey,
  hashFromBase64,
  openCheckpoint,
  parseVerifierKey,
  recordLeafHash,
  verifyConsistency,
} from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkpointFileName } from "../../src/audit-log/publish.js";

/**
 * kill -9 of the service while records are being sealed, before they are all checkpointed: after a restart the
 * sealer goes on from the last committed batch, nothing is sealed twice, and the next checkpoint holds every
 * record and extends the one before the crash.
 */
const TOTAL = 3000;
const KEY = generateSignerKey("audit.test/crash");
let dir: string;
let storage: StorageService;
const written = new Set<string>();

const json = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${storage.url}${path}`);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
};

/** The tree size the service's sealer last reported (its metric), 0 before the first batch. */
async function sealedSize(): Promise<number> {
  const text = await (await fetch(`${storage.url}/metrics`)).text();
  return Number(/^datastorage_audit_log_tree_size (\d+)/m.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubernaut-crash-"));
  await writeFile(join(dir, "signing.key"), KEY.signerKey, { mode: 0o600 });
  storage = await startStorageService({
    databaseUrl: process.env.TEST_DATABASE_URL,
    env: {
      CHECKPOINT_SIGNING_KEY_FILE: join(dir, "signing.key"),
      CHECKPOINT_PUBLISH_DIR: dir,
      CHECKPOINT_EVERY: "1000000",
      CHECKPOINT_INTERVAL: "2s",
      SEAL_BATCH_SIZE: "20",
      SEAL_INTERVAL: "1s",
    },
  });
});
afterAll(async () => {
  await storage?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("kill -9 between a write and a checkpoint", () => {
  it("after restart every record is sealed once and the next checkpoint holds them all", async () => {
    for (let first = 0; first < TOTAL; first += 500) {
      const records = Array.from({ length: 500 }, (_, i) => {
        const event_id = randomUUID();
        written.add(event_id);
        return {
          kind: "remediation-orchestration",
          event_id,
          alert_fingerprint: "fp-crash",
          remediation_name: `rr-crash-${(first + i) % 30}`,
          overall_phase: "processing",
          start_time: "2026-11-20T10:00:00Z",
        };
      });
      const res = await fetch(`${storage.url}/api/v1/audit/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ records }),
      });
      expect(res.status).toBe(201);
    }
    // Sealing has begun (batches of 20, one transaction each) but not finished: kill the process there.
    await vi.waitFor(async () => expect(await sealedSize()).toBeGreaterThan(0), {
      timeout: 60_000,
      interval: 20,
    });
    const before = await json<AuditCheckpoint>("/api/v1/audit/checkpoints/latest");
    await storage.kill();
    expect(before.tree_size).toBeLessThan(TOTAL);

    await storage.restart();
    await vi.waitFor(
      async () =>
        expect((await json<AuditCheckpoint>("/api/v1/audit/checkpoints/latest")).tree_size).toBe(TOTAL),
      { timeout: 120_000, interval: 250 },
    );
    const after = await json<AuditCheckpoint>("/api/v1/audit/checkpoints/latest");
    const verifier = parseVerifierKey(KEY.verifierKey);
    const root = openCheckpoint(after.note, verifier).root;

    const frontier = Frontier.empty();
    const seen: string[] = [];
    for (let start: number | null = 0; start !== null; ) {
      const page: AuditLeafList = await json(
        `/api/v1/audit/leaves?start=${start}&limit=10000&tree_size=${TOTAL}`,
      );
      for (const leaf of page.items) {
        frontier.append(recordLeafHash(leaf.record));
        seen.push(leaf.event_id);
      }
      start = page.next_start;
    }
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen)).toEqual(written);
    expect(frontier.root().equals(root)).toBe(true);

    const consistency = await json<AuditConsistencyProof>(
      `/api/v1/audit/consistency?from=${before.tree_size}&to=${TOTAL}`,
    );
    verifyConsistency(
      before.tree_size,
      TOTAL,
      consistency.consistency_proof.map(hashFromBase64),
      openCheckpoint(before.note, verifier).root,
      root,
    );
    // Published outside the database too. (The checkpoint before the crash may have been killed between its commit
    // and its file; the newest one, which extends it, is what the restarted sealer publishes.)
    expect(await readdir(dir)).toContain(checkpointFileName(TOTAL));
  });
});
