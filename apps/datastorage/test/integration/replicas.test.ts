import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditVerification, RemediationAuditPage, WriteResult } from "@kubernaut/schema";
import {
  createFreshDatabase,
  type FreshDatabase,
  type StorageService,
  startStorageService,
} from "@kubernaut/testing/storage";
import { generateSignerKey } from "@kubernaut/tlog";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * Two replicas of the service on one PostgreSQL database, started together (migrations under their lock), each
 * with the sealer and the retention schedule running: writes through both, the same records sent to both, reads
 * through either; every record stored once, one log, one retention run at a time. PostgreSQL only: a PGlite
 * directory belongs to one process.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
let database: FreshDatabase;
let dir: string;
let replicas: StorageService[] = [];
let client: pg.Client;

const rows = async <T>(text: string): Promise<T[]> => (await client.query(text)).rows as T[];
/** The one row of a query. */
const row = async <T>(text: string): Promise<T> => {
  const [first] = await rows<T>(text);
  if (first === undefined) throw new Error(`no row: ${text}`);
  return first;
};

async function postBatch(replica: StorageService, records: unknown[]): Promise<WriteResult> {
  const res = await fetch(`${replica.url}/api/v1/audit/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ records }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as WriteResult;
}

async function getJson<T>(replica: StorageService, path: string): Promise<T> {
  const res = await fetch(`${replica.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  if (!serverUrl) return;
  database = await createFreshDatabase(serverUrl);
  dir = await mkdtemp(join(tmpdir(), "kubernaut-replicas-"));
  await writeFile(join(dir, "signing.key"), generateSignerKey("audit.test/replicas").signerKey, {
    mode: 0o600,
  });
  const env = {
    DATABASE_URL: database.url,
    CHECKPOINT_SIGNING_KEY_FILE: join(dir, "signing.key"),
    CHECKPOINT_EVERY: "1",
    SEAL_INTERVAL: "1s",
    SEAL_MAX_LAG: "0",
    RETENTION_INTERVAL: "1s",
  };
  replicas = await Promise.all([startStorageService({ env }), startStorageService({ env })]);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await Promise.all(replicas.map((r) => r.stop()));
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!serverUrl)("two replicas on one database", () => {
  it("store each record once when both receive it, answer the same reads, and keep one log", async () => {
    const [a, b] = replicas as [StorageService, StorageService];
    const record = (name: string, phase: string) => ({
      kind: "remediation-orchestration",
      event_id: randomUUID(),
      alert_fingerprint: `fp-${name}`,
      remediation_name: name,
      overall_phase: phase,
      start_time: "2026-11-20T10:00:00Z",
    });
    const batches = Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: 50 }, (_, j) =>
        record(`rr-rep-${(i * 50 + j) % 40}`, j % 2 ? "processing" : "pending"),
      ),
    );
    // Every batch goes to one replica; every fourth goes to both at once (a publisher retrying on the other).
    const results = await Promise.all(
      batches.flatMap((batch, i) =>
        i % 4 === 0 ? [postBatch(a, batch), postBatch(b, batch)] : [postBatch(i % 2 ? a : b, batch)],
      ),
    );
    const unique = batches.flat().length;
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(unique);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(5 * 50);
    const { n } = await row<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(n).toBe(unique);

    const list = "/api/v1/audit/remediation-orchestration?limit=100";
    const [fromA, fromB] = await Promise.all([
      getJson<RemediationAuditPage>(a, list),
      getJson<RemediationAuditPage>(b, list),
    ]);
    expect(fromA.items).toHaveLength(40);
    expect(fromB).toEqual(fromA);

    // One sealer at a time across the replicas: one tree, every record in it once, both serving it.
    await vi.waitFor(
      async () => {
        for (const replica of replicas)
          expect(
            (await getJson<{ tree_size: number }>(replica, "/api/v1/audit/checkpoints/latest")).tree_size,
          ).toBe(unique);
      },
      { timeout: 60_000, interval: 250 },
    );
    const { leaves, events } = await row<{ leaves: number; events: number }>(
      "SELECT count(*)::int AS leaves, count(DISTINCT event_id)::int AS events FROM audit_log_leaves",
    );
    expect({ leaves, events }).toEqual({ leaves: unique, events: unique });
    for (const replica of replicas) {
      const verification = await getJson<AuditVerification>(
        replica,
        "/api/v1/audit/verify?correlation_id=rr-rep-7",
      );
      expect(verification).toMatchObject({ verified: true, problems: [], records: 25 });
    }
  });

  it("run retention one at a time: no two runs overlap", async () => {
    await vi.waitFor(
      async () => {
        const { n } = await row<{ n: number }>(
          "SELECT count(*)::int AS n FROM retention_runs WHERE status = 'completed'",
        );
        expect(n).toBeGreaterThanOrEqual(4);
      },
      { timeout: 60_000, interval: 250 },
    );
    const runs = await rows<{ started: number; finished: number | null }>(
      `SELECT extract(epoch FROM started_at)::float8 AS started, extract(epoch FROM finished_at)::float8 AS finished
       FROM retention_runs ORDER BY started_at`,
    );
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1] as { finished: number | null };
      const run = runs[i] as { started: number };
      expect(previous.finished, "a run started while another was running").not.toBeNull();
      expect(run.started).toBeGreaterThanOrEqual(previous.finished as number);
    }
  });
});
