/**
 * Heap held by 10,000 buffered records (the default capacity) while the storage service is down.
 * Run: `pnpm --filter @kubernaut/storage-client bench:memory` (needs --expose-gc, which the script passes).
 */
import { AuditPublisher, StorageClient, silentLogger } from "../src/index.js";
import { StubStorage } from "../test/support/stub-storage.js";
import { fixed, phaseChange, yieldToLoop } from "./support.js";

const gc = globalThis.gc;
if (!gc) throw new Error("run with node --expose-gc");

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await yieldToLoop();
  }
  return process.memoryUsage().heapUsed;
}

const down = await new StubStorage().up();
const url = down.url;
await down.down();

const RECORDS = 10_000;
const publisher = new AuditPublisher({
  client: new StorageClient({ baseUrl: url }),
  logger: silentLogger,
  capacity: RECORDS,
  flushIntervalMs: 3_600_000,
  maxBatchRecords: RECORDS + 1,
});
const records = Array.from({ length: RECORDS }, (_, i) => phaseChange(i));
const before = await heapAfterGc();
for (const record of records) publisher.publish(record);
const after = await heapAfterGc();
const perRecord = (after - before) / RECORDS;
console.log(
  `${RECORDS} buffered records of ${JSON.stringify(phaseChange(0)).length} bytes of JSON: ` +
    `${fixed((after - before) / 1024 / 1024, 2)} MiB of heap, ${fixed(perRecord, 0)} bytes per record ` +
    `(pending ${publisher.stats().pending})`,
);
await publisher.close(10);
