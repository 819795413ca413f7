import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditPublisher, type AuditPublisherOptions, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { orchestrationRecord } from "../support/records.js";
import { databaseTier, eventsOf, startRealStorage } from "../support/storage-service.js";
import { StubStorage } from "../support/stub-storage.js";

/** Outage length; `STORAGE_OUTAGE_MS=30000` runs the seeds' 30-second outage. */
const OUTAGE_MS = Number(process.env.STORAGE_OUTAGE_MS ?? 3_000);
/** Polls of the service are spaced out, so that they do not compete with the writes on a small machine. */
const POLL_MS = 250;
const CHILD = fileURLToPath(new URL("./fixtures/spool-publisher.ts", import.meta.url));

let service: StorageService;
let client: StorageClient;
beforeAll(async () => {
  service = await startRealStorage();
  client = new StorageClient({ baseUrl: service.url });
}, 120_000);
afterAll(async () => {
  await service?.stop();
});

function publisherTo(baseUrl: string, options: Partial<AuditPublisherOptions> = {}) {
  const logger = recordingLogger();
  const publisher = new AuditPublisher({
    client: new StorageClient({ baseUrl, timeoutMs: 2_000 }),
    logger,
    flushIntervalMs: 50,
    backoff: { baseMs: 50, capMs: 1_000 },
    ...options,
  });
  return { publisher, logger };
}

const batchAnswers = (proxy: StubStorage) => proxy.upstreamAnswers.filter((a) => a.path.endsWith("/batch"));

/** Records of one test share a fingerprint, so the timeline counts exactly their rows in `audit_events`. */
function recordsFor(fingerprint: string) {
  return (n: number) => ({
    ...orchestrationRecord(n),
    alert_fingerprint: fingerprint,
    remediation_name: `${fingerprint}-${n}`,
  });
}

describe(`AuditPublisher into the Data Storage Service on ${databaseTier}`, () => {
  it(
    `delivers every record exactly once across a ${OUTAGE_MS} ms outage of the service`,
    async () => {
      const record = recordsFor(`outage-${Date.now()}`);
      const fingerprint = record(0).alert_fingerprint;
      const { publisher } = publisherTo(service.url, { maxBatchRecords: 100, readinessWindowMs: 1_000 });
      let n = 0;
      for (; n < 50; n++) publisher.publish(record(n));
      await waitFor(
        "records before the outage",
        async () => (await eventsOf(client, fingerprint)).length === 50,
        10_000,
      );

      await service.kill();
      const outageEnds = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEnds) {
        for (let i = 0; i < 20; i++) publisher.publish(record(n++));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(publisher.ready()).toBe(false);
      await service.restart();

      await waitFor("every record", async () => (await eventsOf(client, fingerprint)).length >= n, {
        timeoutMs: 60_000,
        intervalMs: POLL_MS,
      });
      const events = await eventsOf(client, fingerprint);
      expect(events).toHaveLength(n);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(n);
      expect(new Set(events.map((e) => e.correlation_id))).toEqual(
        new Set(Array.from({ length: n }, (_, i) => record(i).remediation_name)),
      );
      await expect(publisher.close(5_000)).resolves.toMatchObject({ unsent: 0, spooled: 0 });
      expect(publisher.ready()).toBe(true);
    },
    OUTAGE_MS + 120_000,
  );

  it("drops only the records the service finds invalid", async () => {
    const record = recordsFor(`invalid-${Date.now()}`);
    const fingerprint = record(0).alert_fingerprint;
    const { publisher, logger } = publisherTo(service.url);
    publisher.publish(record(0));
    publisher.publish({ ...record(1), start_time: "not a time" });
    publisher.publish(record(2));

    await expect(publisher.flush()).resolves.toEqual({ ok: true, pending: 0 });
    expect((await eventsOf(client, fingerprint)).map((e) => e.correlation_id).sort()).toEqual([
      record(0).remediation_name,
      record(2).remediation_name,
    ]);
    const rejected = logger.entries.find((e) => e.message.includes("rejected"));
    expect(rejected?.fields).toMatchObject({
      remediation_name: record(1).remediation_name,
      status: 400,
      errors: [{ path: "start_time", message: expect.any(String) }],
    });
    await publisher.close();
  });

  it("loses and duplicates nothing when the publisher is killed in the middle of the drain at close", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kill-real-"));
    // A proxy lets the first batch of the drain reach the service, then never answers: the child dies with that
    // batch stored but unacknowledged.
    const proxy = await new StubStorage(service.url).up();
    proxy.behaviour = (r) => (r.path.endsWith("/batch") ? "store-then-hang" : "default");
    let child: ChildProcess | undefined;
    try {
      const fingerprint = "fp-kill-real";
      const log: string[] = [];
      child = spawn(process.execPath, ["--import", "tsx", CHILD], {
        env: {
          ...process.env,
          STORAGE_URL: proxy.url,
          SPOOL_DIR: dir,
          COUNT: "300",
          CAPACITY: "100",
          FINGERPRINT: fingerprint,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
      await waitFor(
        () => `the child to spool and send its first batch; its log:\n${log.join("")}`,
        () => log.join("").includes("spooled at close") && batchAnswers(proxy).length === 1,
        30_000,
      );
      child.kill("SIGKILL");
      await once(child, "exit");
      expect((await eventsOf(client, fingerprint)).length).toBe(50);

      proxy.behaviour = () => "default";
      const { publisher } = publisherTo(proxy.url, { spoolDir: dir });
      await waitFor("the spool to be delivered", async () => (await readdir(dir)).length === 0, {
        timeoutMs: 60_000,
        intervalMs: POLL_MS,
      });
      await publisher.close(5_000);

      const events = await eventsOf(client, fingerprint);
      expect(events).toHaveLength(300);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(300);
      const duplicates = batchAnswers(proxy)
        .slice(1)
        .reduce((sum, a) => sum + ((a.body as { duplicates?: number }).duplicates ?? 0), 0);
      expect(duplicates).toBe(50);
    } finally {
      child?.kill("SIGKILL");
      await proxy.down();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
