/**
 * A burst from three publishers (one per controller kind), 25,000 records each within 5 s, into one real storage
 * service: how long until every record is stored, what was lost or duplicated (counted in the service), and the
 * peak RSS of the service and of the publishers' process. PostgreSQL when TEST_DATABASE_URL is set (e.g. under
 * scripts/test-deps/postgres.sh), else PGlite. Needs the built service (`pnpm --filter @kubernaut/datastorage build`).
 *   pnpm --filter @kubernaut/storage-client bench:burst        BURST_RECORDS=25000 BURST_MS=5000
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startStorageService } from "@kubernaut/testing/storage";
import { AuditPublisher, type AuditRecordInput, StorageClient, silentLogger } from "../src/index.js";
import { aiAnalysisRecord, orchestrationRecord, processingRecord } from "../test/support/records.js";

const PER_PUBLISHER = Number(process.env.BURST_RECORDS ?? 25_000);
const BURST_MS = Number(process.env.BURST_MS ?? 5_000);
const SLICES = 50;
/** Records of one kind share a fingerprint per chunk, so that each timeline read stays under its limit. */
const CHUNK = 5_000;
const KINDS = {
  orchestrator: orchestrationRecord,
  processor: processingRecord,
  "ai-analysis": aiAnalysisRecord,
};

const peakMiB = (pid: number | undefined) => {
  if (pid === undefined) return Number.NaN;
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
};

const service = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL || undefined });
const spools: string[] = [];
try {
  console.log(
    `database: ${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"}; node ${process.version}; load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  const run = `burst-${Date.now()}`;
  const publishers = await Promise.all(
    Object.entries(KINDS).map(async ([kind, make]) => {
      const spool = await mkdtemp(join(tmpdir(), `burst-${kind}-`));
      spools.push(spool);
      const publisher = new AuditPublisher({
        client: new StorageClient({ baseUrl: service.url, timeoutMs: 30_000 }),
        logger: silentLogger,
        spoolDir: spool,
        maxBatchRecords: 1_000,
        concurrency: 2,
      });
      const record = (n: number): AuditRecordInput =>
        ({
          ...make(n),
          event_id: randomUUID(),
          alert_fingerprint: `${run}-${kind}-${Math.floor(n / CHUNK)}`,
          ...(kind === "orchestrator" ? { remediation_name: `${run}-rr-${n}` } : {}),
          ...(kind === "processor" ? { remediation_id: `${run}-rr-${n}` } : {}),
          ...(kind === "ai-analysis" ? { crd_name: `${run}-ai-${n}` } : {}),
        }) as AuditRecordInput;
      return { kind, publisher, record };
    }),
  );

  const started = performance.now();
  for (let slice = 0; slice < SLICES; slice++) {
    for (const { publisher, record } of publishers) {
      for (let n = (slice * PER_PUBLISHER) / SLICES; n < ((slice + 1) * PER_PUBLISHER) / SLICES; n++)
        publisher.publish(record(n));
    }
    const due = started + ((slice + 1) * BURST_MS) / SLICES;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  const published = (performance.now() - started) / 1000;
  while (publishers.some(({ publisher }) => publisher.stats().pending > 0))
    await new Promise((resolve) => setTimeout(resolve, 100));
  const drained = (performance.now() - started) / 1000;
  const servicePeak = peakMiB(service.pid());
  const publishersPeak = peakMiB(process.pid);

  const client = new StorageClient({ baseUrl: service.url, timeoutMs: 120_000 });
  let stored = 0;
  let distinct = 0;
  for (const { kind, publisher } of publishers) {
    await publisher.close(10_000);
    for (let chunk = 0; chunk * CHUNK < PER_PUBLISHER; chunk++) {
      const timeline = await client.timeline(`${run}-${kind}-${chunk}`, { limit: CHUNK });
      stored += timeline.items.length;
      distinct += new Set(timeline.items.map((e) => e.event_id)).size;
    }
  }
  const total = PER_PUBLISHER * publishers.length;
  const dropped = publishers.reduce((n, { publisher }) => n + publisher.stats().dropped, 0);
  console.log(
    `burst of 3 × ${PER_PUBLISHER} records published in ${published.toFixed(1)} s: drained in ${drained.toFixed(1)} s; ` +
      `${total - distinct} lost, ${stored - distinct} duplicated, ${dropped} dropped by the publishers`,
  );
  console.log(
    `peak RSS: service ${servicePeak.toFixed(0)} MiB, publishers' process ${publishersPeak.toFixed(0)} MiB`,
  );
} finally {
  await service.stop();
  await Promise.all(spools.map((dir) => rm(dir, { recursive: true, force: true })));
}
