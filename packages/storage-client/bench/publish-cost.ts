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

/** Flat out: bursts of 100 records per turn of the event loop, far beyond what a controller publishes. */
const STRESS: Pace = { records: Number(process.env.RECORDS ?? 100_000), burst: 100, pauseMs: 0 };
/** A busy controller: 2,000 records a second, 20 every 10 ms, for 10 s. */
const BUSY: Pace = { records: 20_000, burst: 20, pauseMs: 10 };

interface Pace {
  records: number;
  burst: number;
  pauseMs: number;
}

type Record = ReturnType<typeof phaseChange>;

/** Times each `publish` call at the given pace, watching the event loop meanwhile. */
async function measure(
  name: string,
  pace: Pace,
  publish: (record: Record) => unknown,
  done: () => Promise<string>,
) {
  const records = Array.from({ length: 1_000 }, (_, i) => phaseChange(i));
  const costs = new Float64Array(pace.records);
  const loop = eventLoopMonitor();
  for (let i = 0; i < pace.records; i++) {
    const record = records[i % records.length] as Record;
    const started = process.hrtime.bigint();
    publish(record);
    costs[i] = Number(process.hrtime.bigint() - started) / 1_000;
    // Yield after each burst, so that the loop delay measures the publisher's own work, not this loop's.
    if (i % pace.burst === pace.burst - 1) {
      await (pace.pauseMs > 0 ? new Promise((resolve) => setTimeout(resolve, pace.pauseMs)) : yieldToLoop());
    }
  }
  const stall = loop.stop();
  costs.sort();
  console.log(
    `| ${name} | ${fixed(percentile(costs, 50), 1)} | ${fixed(percentile(costs, 99), 1)} | ` +
      `${fixed(percentile(costs, 99.9), 0)} | ${fixed(stall.p99Ms, 1)} | ${fixed(stall.maxMs, 1)} | ${await done()} |`,
  );
}

function measurePublisher(
  name: string,
  pace: Pace,
  baseUrl: string,
  options: Partial<AuditPublisherOptions> = {},
) {
  const publisher = new AuditPublisher({
    client: new StorageClient({ baseUrl }),
    metrics: auditMetrics(new Registry(), "orchestrator"),
    logger: silentLogger,
    ...options,
  });
  return measure(
    name,
    pace,
    (record) => publisher.publish(record),
    async () => {
      const { dropped, spooled, sent } = publisher.stats();
      await publisher.close(1_000);
      return `${sent} / ${dropped} / ${spooled}`;
    },
  );
}

const healthy = await stubProcess("healthy");
const slow = await stubProcess("slow");
const down = await new StubStorage().up();
const downUrl = down.url;
await down.down();
const spoolDir = await mkdtemp(join(tmpdir(), "bench-spool-"));

console.log(
  `publish() of records of ${JSON.stringify(phaseChange(0)).length} bytes; stress: ${STRESS.records} in bursts of ` +
    `${STRESS.burst} per turn; busy: 2,000/s for 10 s (Node ${process.version})\n`,
);
console.log(
  "| storage | p50 µs | p99 µs | p99.9 µs | loop delay p99 ms | loop delay max ms | sent / dropped / spooled |",
);
console.log("|---|---|---|---|---|---|---|");
try {
  // The machine's own noise: serialising alone, with no publisher, under the same load.
  await measure("stress: baseline, JSON.stringify only", STRESS, JSON.stringify, async () => "-");
  await measurePublisher("stress: healthy (loopback stub)", STRESS, healthy.url);
  await measurePublisher("stress: slow (answers after 2 s)", STRESS, slow.url);
  await measurePublisher("stress: down (connection refused)", STRESS, downUrl);
  await measurePublisher("stress: down, with a spool", STRESS, downUrl, { spoolDir });
  await measure("busy: baseline, JSON.stringify only", BUSY, JSON.stringify, async () => "-");
  await measurePublisher("busy: healthy (loopback stub)", BUSY, healthy.url);
  await measurePublisher("busy: slow (answers after 2 s)", BUSY, slow.url);
  await measurePublisher("busy: down (connection refused)", BUSY, downUrl);
} finally {
  await healthy.stop();
  await slow.stop();
  await rm(spoolDir, { recursive: true, force: true });
}
