import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import type { StorageClient } from "../../src/index.js";

/**
 * The real Data Storage Service as a child process: on the PostgreSQL server of `TEST_DATABASE_URL` when set
 * (run under `scripts/test-deps/postgres.sh`), else on embedded PGlite.
 */
export function startRealStorage(env: Record<string, string> = {}): Promise<StorageService> {
  return startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL || undefined, env });
}

export const databaseTier = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

/** Every audit event of one alert, as the service's timeline reads them from `audit_events`. */
export async function eventsOf(client: StorageClient, alertFingerprint: string) {
  const timeline = await client.timeline(alertFingerprint, { limit: 10_000 });
  if (timeline.truncated) throw new Error(`timeline of ${alertFingerprint} is truncated`);
  return timeline.items;
}
