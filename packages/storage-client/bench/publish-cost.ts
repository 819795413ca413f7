/**
 * What `publish()` costs the caller while the storage service is down or slow, and whether the publisher
 * ever stalls the event loop. Run: `pnpm --filter @kubernaut/storage-client bench:publish`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import {
  AuditPublisher,
  type AuditPublisherOptions,
  auditMetrics,
  StorageClient,
  silentLogger,
} from "../src/index.js";
import { StubStorage } from "../test/support/stub-storage.js";
import { eventLoopMonitor, fixed, percentile, phaseChange, yieldToLoop } from "./support.js";

const RECORDS = Number(process.env.RECORDS ?? 200_000);
const CHUNK = 100;

async function measure(name: string, baseUrl: string, options: Partial<AuditPublisherOptions> = {}) {
  const publisher = new AuditPublisher({
    client: new StorageClient({ baseUrl, timeoutMs: 5_000 }),
    metrics: auditMetrics(new Registry(), "orchestrator"),
    logger: silentLogger,
    ...options,
  });
  for (let i = 0; i < 20_000; i++) publisher.publish(phaseChange(i)); // warm-up
  await yieldToLoop();

  const costs = new Float64Array(RECORDS);
  const loop = eventLoopMonitor();
  for (let i = 0; i < RECORDS; i++) {
    const record = phaseChange(i);
    const started = process.hrtime.bigint();
    publisher.publish(record);
    costs[i] = Number(process.hrtime.bigint() - started) / 1_000;
    // Yield often, so that the loop delay measures the publisher's own work, not this loop's.
    if (i % CHUNK === CHUNK - 1) await yieldToLoop();
  }
  const stall = loop.stop();
  costs.sort();
  const stats = publisher.stats();
  await publisher.close(100);
  console.log(
    `${name.padEnd(44)} p50 ${fixed(percentile(costs, 50), 2)} µs  p99 ${fixed(percentile(costs, 99), 2)} µs  ` +
      `p99.9 ${fixed(percentile(costs, 99.9), 1)} µs  max ${fixed(costs[costs.length - 1] ?? 0, 0)} µs  ` +
      `| loop delay p99 ${fixed(stall.p99Ms, 2)} ms max ${fixed(stall.maxMs, 2)} ms  ` +
      `| dropped ${stats.dropped} spooled ${stats.spooled}`,
  );
}

const slow = await new StubStorage().up();
slow.behaviour = (r) => (r.path.endsWith("/batch") ? "hang" : "default");
const down = await new StubStorage().up();
const downUrl = down.url;
await down.down();
const spoolDir = await mkdtemp(join(tmpdir(), "bench-spool-"));

console.log(
  `publish() cost over ${RECORDS} records of ${JSON.stringify(phaseChange(0)).length} bytes (Node ${process.version})`,
);
try {
  await measure("service down, buffer with room", downUrl, { capacity: 1_000_000 });
  await measure("service down, buffer full (drop-oldest)", downUrl, { capacity: 10_000 });
  await measure("service hanging (timeout 5 s), buffer full", slow.url, { capacity: 10_000 });
  await measure("service down, buffer full, overflow to spool", downUrl, { capacity: 10_000, spoolDir });
} finally {
  await slow.down();
  await rm(spoolDir, { recursive: true, force: true });
}
