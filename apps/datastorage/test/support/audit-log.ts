import { randomUUID } from "node:crypto";
import type { AuditCheckpoint, AuditLeafList, AuditVerification } from "@kubernaut/schema";
import { generateSignerKey, type NoteSigner, parseSignerKey } from "@kubernaut/tlog";
import { Sealer } from "../../src/audit-log/sealer.js";
import { BATCH, orchestration } from "./audit-records.js";
import { openTestApp, type TestApp, type TestAppOptions } from "./test-app.js";

export const ORIGIN = "audit.test/log";

/** A fresh checkpoint key named ORIGIN. */
export function testSigner(): NoteSigner {
  return parseSignerKey(generateSignerKey(ORIGIN).signerKey);
}

export interface AuditLogApp extends TestApp {
  signer: NoteSigner;
  sealer: Sealer;
  /** Seals what is committed and signs a checkpoint of it. */
  seal(): ReturnType<Sealer["sealPending"]>;
  /** POSTs `count` orchestration records of remediation `name` in one batch; answers their event ids. */
  writeIncident(name: string, count: number, fields?: Record<string, unknown>): Promise<string[]>;
  json<T>(path: string): Promise<T>;
  latest(): Promise<AuditCheckpoint>;
  verify(correlationId: string): Promise<AuditVerification>;
  leaves(query: string): Promise<AuditLeafList>;
  /** Whether table `name` (e.g. a month's partition of `audit_events`) exists. */
  tableExists(name: string): Promise<boolean>;
  /** Runs SQL as a superuser bypassing every trigger (session_replication_role = replica), as tampering would. */
  tamper(statement: string): Promise<void>;
}

/** The app with a signing key, a sealer checkpointing every batch, and helpers for the log. */
export async function openAuditLogApp(options: TestAppOptions = {}): Promise<AuditLogApp> {
  const signer = options.checkpointSigner ?? testSigner();
  const t = await openTestApp({
    ...options,
    checkpointSigner: signer,
    env: { CHECKPOINT_EVERY: "1", ...options.env },
  });
  const sealer = new Sealer(t.deps, signer);
  const json = async <T>(path: string): Promise<T> => {
    const res = await t.get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...t,
    signer,
    sealer,
    seal: () => sealer.sealPending(),
    async writeIncident(name, count, fields = {}) {
      const ids = Array.from({ length: count }, () => randomUUID());
      const records = ids.map((event_id, i) => ({
        kind: "remediation-orchestration",
        ...orchestration({
          remediation_name: name,
          alert_fingerprint: `fp-${name}`,
          event_id,
          start_time: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
          occurred_at: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
          ...fields,
        }),
      }));
      const res = await t.post(BATCH, { records });
      if (res.status !== 201) throw new Error(`POST batch: ${res.status} ${await res.text()}`);
      return ids;
    },
    json,
    latest: () => json<AuditCheckpoint>("/api/v1/audit/checkpoints/latest"),
    verify: (correlationId) =>
      json<AuditVerification>(`/api/v1/audit/verify?correlation_id=${encodeURIComponent(correlationId)}`),
    leaves: (query) => json<AuditLeafList>(`/api/v1/audit/leaves?${query}`),
    tableExists: async (name) =>
      (await t.query<{ oid: string | null }>(`SELECT to_regclass('${name}')::text AS oid`))[0]?.oid === name,
    async tamper(statement) {
      await t.database.transaction(async (tx) => {
        await tx.execute("SET LOCAL session_replication_role = replica");
        await tx.execute(statement);
      });
    },
  };
}
