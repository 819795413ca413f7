/**
 * What `publish()` costs the caller while the storage service is healthy, slow or down, and whether the
 * publisher ever stalls the event loop. Default options (capacity 10,000, batches of 1,000, 1 s interval).
 * Run: `pnpm --filter @kubernaut/storage-client bench:publish`.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/** A stub service in a child process, so that its work does not count in this process's loop delay. */
async function stubProcess(mode: "healthy" | "slow") {
  const script = fileURLToPath(new URL("./stub-process.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return {
    url: chunk.toString().trim(),
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

const RECORDS = Number(process.env.RECORDS ?? 100_000);
/** Records published per turn of the event loop: a busy controller's burst. */
const BURST = 100;

async function measure(name: string, baseUrl: string, options: Partial<AuditPublisherOptions> = {}) {
  const publisher = new AuditPublisher({
    client: new StorageClient({ baseUrl }),
    metrics: auditMetrics(new Registry(), "orchestrator"),
    logger: silentLogger,
    ...options,
  });
  const records = Array.from({ length: 1_000 }, (_, i) => phaseChange(i));
  const costs = new Float64Array(RECORDS);
  const loop = eventLoopMonitor();
  for (let i = 0; i < RECORDS; i++) {
    const record = records[i % records.length] as (typeof records)[number];
    const started = process.hrtime.bigint();
    publisher.publish(record);
    costs[i] = Number(process.hrtime.bigint() - started) / 1_000;
    // Yield after each burst, so that the loop delay measures the publisher's own work, not this loop's.
    if (i % BURST === BURST - 1) await yieldToLoop();
  }
  const stall = loop.stop();
  costs.sort();
  const { dropped, spooled, sent } = publisher.stats();
  await publisher.close(1_000);
  console.log(
    `| ${name} | ${fixed(percentile(costs, 50), 1)} | ${fixed(percentile(costs, 99), 1)} | ` +
      `${fixed(percentile(costs, 99.9), 0)} | ${fixed(stall.p99Ms, 1)} | ${fixed(stall.maxMs, 1)} | ` +
      `${sent} / ${dropped} / ${spooled} |`,
  );
}

const healthy = await stubProcess("healthy");
const slow = await stubProcess("slow");
const down = await new StubStorage().up();
const downUrl = down.url;
await down.down();
const spoolDir = await mkdtemp(join(tmpdir(), "bench-spool-"));

console.log(
  `publish() of ${RECORDS} records of ${JSON.stringify(phaseChange(0)).length} bytes, bursts of ${BURST} (Node ${process.version})\n`,
);
console.log(
  "| storage | p50 µs | p99 µs | p99.9 µs | loop delay p99 ms | loop delay max ms | sent / dropped / spooled |",
);
console.log("|---|---|---|---|---|---|---|");
try {
  await measure("healthy (loopback stub)", healthy.url);
  await measure("slow (answers after 2 s)", slow.url);
  await measure("down (connection refused)", downUrl);
  await measure("down, with a spool", downUrl, { spoolDir });
} finally {
  await healthy.stop();
  await slow.stop();
  await rm(spoolDir, { recursive: true, force: true });
}
