import { execute } from "@kubernaut/db";
import { createTestDatabase } from "@kubernaut/testing/db";
import { pino } from "pino";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createAuditWriter, databaseProbe } from "../../src/database.js";
import type { Embedder } from "../../src/embeddings/embedder.js";
import { createOfflineEmbedder } from "../../src/embeddings/offline.js";
import type { Db } from "../../src/env.js";
import { createServiceMetrics } from "../../src/metrics.js";

export interface EmbeddingsTestApp {
  db: Db;
  /** POSTs a JSON body through the app (no socket). */
  post(path: string, body: unknown): Promise<Response>;
  /** POSTs a raw body, for JSON that JSON.stringify cannot produce (e.g. `1e999`). */
  postRaw(path: string, body: string): Promise<Response>;
  /** Rows of `ai_investigation_embeddings`. */
  storedRows(): Promise<number>;
  close(): Promise<void>;
}

/** The app over this test's own migrated database, with the offline embedder unless told otherwise. */
export async function openEmbeddingsApp(
  options: { embedder?: Embedder; clock?: () => Date } = {},
): Promise<EmbeddingsTestApp> {
  const testDb = await createTestDatabase();
  const config = loadConfig({});
  const app = createApp({
    db: testDb.db,
    writer: createAuditWriter(testDb.database, config),
    database: databaseProbe(testDb.database),
    config,
    logger: pino({ level: "silent" }),
    metrics: createServiceMetrics(),
    clock: options.clock ?? (() => new Date()),
    embedder: options.embedder ?? createOfflineEmbedder(),
    lifecycle: { shuttingDown: false },
  });
  const postRaw = async (path: string, body: string) =>
    app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body });
  return {
    db: testDb.db,
    post: (path, body) => postRaw(path, JSON.stringify(body)),
    postRaw,
    async storedRows() {
      const [row] = await execute<{ n: number }>(
        testDb.db,
        "SELECT count(*) AS n FROM ai_investigation_embeddings",
      );
      return row?.n ?? 0;
    },
    close: () => testDb.close(),
  };
}
