/**
 * End-to-end records per second from one publisher into the real Data Storage Service: on the PostgreSQL
 * server of TEST_DATABASE_URL (run under scripts/test-deps/postgres.sh), else on PGlite.
 * Run: `scripts/test-deps/postgres.sh -- pnpm --filter @kubernaut/storage-client bench:throughput`.
 */
import { Registry } from "prom-client";
import { AuditPublisher, auditMetrics, StorageClient, silentLogger } from "../src/index.js";
import { databaseTier, startRealStorage } from "../test/support/storage-service.js";
import { fixed, phaseChange, yieldToLoop } from "./support.js";

const RECORDS = Number(process.env.RECORDS ?? 50_000);
const service = await startRealStorage();
try {
  for (const concurrency of [1, 2]) {
    const registry = new Registry();
    const publisher = new AuditPublisher({
      client: new StorageClient({ baseUrl: service.url, timeoutMs: 30_000 }),
      metrics: auditMetrics(registry, "orchestrator"),
      logger: silentLogger,
      capacity: RECORDS,
      concurrency,
    });
    const started = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      publisher.publish({ ...phaseChange(i), remediation_name: `bench-${concurrency}-${i}` });
      if (i % 1_000 === 999) await yieldToLoop();
    }
    const result = await publisher.close(600_000);
    const { sent } = publisher.stats();
    const seconds = (performance.now() - started) / 1_000;
    const text = await registry.metrics();
    const histogram = "kubernaut_orchestrator_audit_publish_duration_seconds";
    const sum = Number(new RegExp(`${histogram}_sum (\\S+)`).exec(text)?.[1] ?? 0);
    const requests = Number(new RegExp(`${histogram}_count (\\S+)`).exec(text)?.[1] ?? 0);
    console.log(
      `${databaseTier}, concurrency ${concurrency}: ${sent} records in ${fixed(seconds, 1)} s = ` +
        `${fixed(sent / seconds, 0)} records/s; ${requests} batch requests, ` +
        `mean ${fixed((sum / (requests || 1)) * 1_000, 0)} ms each; unsent ${result.unsent}`,
    );
  }
} finally {
  await service.stop();
}
