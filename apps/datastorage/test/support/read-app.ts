import { execute } from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { type SQL, sql } from "drizzle-orm";
import { pino } from "pino";
import { createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createAuditWriter, databaseProbe } from "../../src/database.js";
import { createOfflineEmbedder } from "../../src/embeddings/offline.js";
import type { AppDeps } from "../../src/env.js";
import { createServiceMetrics } from "../../src/metrics.js";

/**
 * The app over its own migrated test database (PGlite, or PostgreSQL with TEST_DATABASE_URL), with a clock
 * the test sets: the write path stamps `created_at`/`received_at` from it, analytics windows end at it.
 */
export interface ReadTestApp {
  deps: AppDeps;
  database: TestDatabase;
  setNow(now: Date): void;
  /** Empties every audit table, so one database serves several groups of tests. */
  reset(): Promise<void>;
  /** POSTs a JSON body and expects 201. */
  write(path: string, body: unknown): Promise<void>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Any request through the app; a JSON `body` is serialised with its content type. */
  send(method: string, path: string, body?: unknown): Promise<Response>;
  /** GETs and expects 200 JSON. */
  getJson(path: string): Promise<unknown>;
  rows<T extends object>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export async function openReadApp(options: { env?: Record<string, string> } = {}): Promise<ReadTestApp> {
  const database = await createTestDatabase();
  let now = new Date();
  const config: Config = loadConfig(options.env ?? {});
  const deps: AppDeps = {
    db: database.db,
    writer: createAuditWriter(database.database, config),
    database: databaseProbe(database.database),
    config,
    logger: pino({ level: "silent" }),
    metrics: createServiceMetrics(),
    clock: () => now,
    embedder: createOfflineEmbedder(),
    lifecycle: { shuttingDown: false },
  };
  const app = createApp(deps);
  const get = async (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });
  return {
    deps,
    database,
    setNow(value) {
      now = value;
    },
    async reset() {
      // Holds first, in a statement of their own: the truncate triggers refuse while a hold covers a row. The
      // database keeps every hold (migration `legal-holds-append-only`): only a superuser's replica session,
      // which fires no trigger, clears them.
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`TRUNCATE legal_holds`);
      });
      // audit_events lets only the retention job delete (migration `audit-log-append-only`): the reset is one.
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('kubernaut.retention', 'on', true)`);
        await tx.execute(sql`
          TRUNCATE audit_events, audit_event_ids, remediation_audit, remediation_audit_archive, remediation_audit_keys,
            alert_processing_audit, alert_processing_audit_archive, alert_processing_audit_keys, ai_analysis_audit,
            ai_analysis_audit_archive, ai_analysis_audit_keys, retention_runs
          RESTART IDENTITY`);
      });
    },
    async write(path, body) {
      const res = await app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    },
    get,
    send: async (method, path, body) =>
      app.request(path, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      }),
    async getJson(path) {
      const res = await get(path);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    rows: <T extends object>(query: SQL) => execute<T>(database.db, query),
    close: () => database.close(),
  };
}
