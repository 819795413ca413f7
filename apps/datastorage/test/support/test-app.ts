import type { OpenAPIHono } from "@hono/zod-openapi";
import { type Database, execute } from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import type { NoteSigner } from "@kubernaut/tlog";
import { pino } from "pino";
import { createApp } from "../../src/app.js";
import type { Authorizer } from "../../src/auth/index.js";
import { loadConfig } from "../../src/config.js";
import { createAuditWriter, databaseProbe } from "../../src/database.js";
import { createOfflineEmbedder } from "../../src/embeddings/offline.js";
import type { AppDeps, AppEnv, Db, Lifecycle } from "../../src/env.js";
import { createServiceMetrics, type ServiceMetrics } from "../../src/metrics.js";

export interface TestApp {
  app: OpenAPIHono<AppEnv>;
  db: Db;
  database: Database;
  /** The test database's URL on PostgreSQL (for a second process); undefined on PGlite. */
  url: string | undefined;
  metrics: ServiceMetrics;
  lifecycle: Lifecycle;
  deps: AppDeps;
  /** POSTs a JSON body (a string or bytes are sent as they are) through the app, no socket. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Rows of raw SQL, the same shape on PGlite and PostgreSQL. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables for `loadConfig` (e.g. `{ MAX_BATCH_RECORDS: "3" }`). */
  env?: Record<string, string>;
  clock?: () => Date;
  authorizer?: Authorizer | null;
  /** Default true: an empty database is left unmigrated with false. */
  migrate?: boolean;
  /** The key the audit log's checkpoints are signed with (served at /api/v1/audit/checkpoints/public-key). */
  checkpointSigner?: NoteSigner;
}

/**
 * The whole app over this test's own database (`createTestDatabase`: PostgreSQL when TEST_DATABASE_URL is
 * set, PGlite otherwise), with a private metrics registry, a silent logger and the offline embedder.
 */
export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb: TestDatabase = await createTestDatabase({ migrate: options.migrate ?? true });
  const metrics = createServiceMetrics();
  const lifecycle: Lifecycle = { shuttingDown: false };
  const config = loadConfig(options.env ?? {});
  const deps: AppDeps = {
    db: testDb.db,
    writer: createAuditWriter(testDb.database, config, metrics),
    database: databaseProbe(testDb.database),
    config,
    logger: pino({ level: "silent" }),
    metrics,
    clock: options.clock ?? (() => new Date()),
    embedder: createOfflineEmbedder(),
    lifecycle,
    ...(options.authorizer !== undefined ? { authorizer: options.authorizer } : {}),
    ...(options.checkpointSigner !== undefined ? { checkpointSigner: options.checkpointSigner } : {}),
  };
  const app = createApp(deps);
  return {
    app,
    db: testDb.db,
    database: testDb.database,
    url: testDb.url,
    metrics,
    lifecycle,
    deps,
    post: async (path, body, headers = {}) =>
      app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
      }),
    get: async (path, headers = {}) => app.request(path, { headers }),
    query: (sql) => execute(testDb.db, sql),
    close: () => testDb.close(),
  };
}
