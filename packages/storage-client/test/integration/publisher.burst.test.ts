import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditPublisher, type AuditRecordInput, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { aiAnalysisRecord, orchestrationRecord, processingRecord } from "../support/records.js";
import { eventsOf, startRealStorage } from "../support/storage-service.js";

/** Records per publisher; `BURST_RECORDS=2500` runs a smaller burst. */
const PER_PUBLISHER = Number(process.env.BURST_RECORDS ?? 25_000);
/** The burst is published within this long, in even slices. */
const BURST_MS = 5_000;
const SLICES = 25;
/** Records of one kind share a fingerprint per chunk, so that each timeline read stays well under its limit. */
const CHUNK = 5_000;
/**
 * The service's write queue is small, so that publishers sending at once may overfill it and be refused (429 with
 * Retry-After, which they honour); `writes.backpressure.test.ts` in the service shows the refusal itself.
 */
const QUEUE_RECORDS = 1_000;

let service: StorageService;
beforeAll(async () => {
  service = await startRealStorage({ WRITE_QUEUE_MAX_RECORDS: String(QUEUE_RECORDS) });
}, 120_000);
afterAll(async () => {
  await service?.stop();
});

const KINDS = {
  orchestrator: orchestrationRecord,
  processor: processingRecord,
  "ai-analysis": aiAnalysisRecord,
} as const;

/** `n`-th record of one publisher's burst: its own key, and the fingerprint of its chunk. */
function burstRecord(run: string, kind: keyof typeof KINDS, n: number): AuditRecordInput {
  return {
    ...KINDS[kind](n),
    event_id: randomUUID(),
    alert_fingerprint: fingerprintOf(run, kind, Math.floor(n / CHUNK)),
    ...(kind === "orchestrator" ? { remediation_name: `${run}-rr-${n}` } : {}),
    ...(kind === "processor" ? { remediation_id: `${run}-rr-${n}` } : {}),
    ...(kind === "ai-analysis" ? { crd_name: `${run}-ai-${n}` } : {}),
  } as AuditRecordInput;
}

const fingerprintOf = (run: string, kind: string, chunk: number) => `${run}-${kind}-${chunk}`;

describe("a burst from three publishers into one service", () => {
  it(`stores every one of 3 × ${PER_PUBLISHER} records published within ${BURST_MS / 1000} s exactly once, dropping none`, async () => {
    const run = `burst-${Date.now()}`;
    const spools = await Promise.all(Object.keys(KINDS).map((kind) => mkdtemp(join(tmpdir(), `${kind}-`))));
    const publishers = Object.keys(KINDS).map((kind, i) => ({
      kind: kind as keyof typeof KINDS,
      logger: recordingLogger(),
      ids: [] as string[],
      spool: spools[i] as string,
    }));
    const running = publishers.map((p) => ({
      ...p,
      publisher: new AuditPublisher({
        client: new StorageClient({ baseUrl: service.url, timeoutMs: 30_000 }),
        logger: p.logger,
        spoolDir: p.spool,
        maxBatchRecords: 500,
        concurrency: 4,
        flushIntervalMs: 50,
        backoff: { baseMs: 50, capMs: 2_000 },
      }),
    }));

    // Each slice is due at its share of BURST_MS; publishing never waits for delivery.
    const started = Date.now();
    const accepted = running.map(() => 0);
    for (let slice = 0; slice < SLICES; slice++) {
      running.forEach((p, i) => {
        for (let n = (slice * PER_PUBLISHER) / SLICES; n < ((slice + 1) * PER_PUBLISHER) / SLICES; n++) {
          const record = burstRecord(run, p.kind, n);
          p.ids.push(record.event_id as string);
          if (p.publisher.publish(record)) accepted[i] = (accepted[i] ?? 0) + 1;
        }
      });
      const due = started + ((slice + 1) * BURST_MS) / SLICES;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
    expect(accepted).toEqual(running.map(() => PER_PUBLISHER));

    for (const p of running) {
      await waitFor(`${p.kind} to deliver everything`, () => p.publisher.stats().pending === 0, {
        timeoutMs: 600_000,
        intervalMs: 250,
      });
      await expect(p.publisher.close(10_000)).resolves.toMatchObject({ unsent: 0, spooled: 0 });
      expect(p.publisher.stats()).toMatchObject({ published: PER_PUBLISHER, rejected: 0, dropped: 0 });
    }

    const client = new StorageClient({ baseUrl: service.url, timeoutMs: 60_000 });
    for (const p of running) {
      const stored: string[] = [];
      for (let chunk = 0; chunk * CHUNK < PER_PUBLISHER; chunk++) {
        const events = await eventsOf(client, fingerprintOf(run, p.kind, chunk));
        stored.push(...events.map((e) => e.event_id));
      }
      expect(stored).toHaveLength(PER_PUBLISHER);
      expect(new Set(stored)).toEqual(new Set(p.ids));
    }
    await Promise.all(spools.map((dir) => rm(dir, { recursive: true, force: true })));
  }, 900_000);
});
