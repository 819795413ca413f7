import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StorageService } from "@kubernaut/testing/storage";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditPublisher, auditMetrics, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { orchestrationRecord } from "../support/records.js";
import { databaseTier, eventsOf, startRealStorage } from "../support/storage-service.js";
import { problem, StubStorage } from "../support/stub-storage.js";
import { waitFor } from "../support/wait.js";

let service: StorageService;
let proxy: StubStorage;
let spoolDir: string;

beforeAll(async () => {
  service = await startRealStorage();
  spoolDir = await mkdtemp(join(tmpdir(), "poison-spool-"));
}, 120_000);
afterAll(async () => {
  await proxy?.down();
  await service?.stop();
  await rm(spoolDir, { recursive: true, force: true });
});

describe(`a record the Data Storage Service (${databaseTier}) cannot store`, () => {
  it("is dead-lettered alone, and the 10,000 records around it are stored exactly once", async () => {
    const fingerprint = `poison-${Date.now()}`;
    const poisonId = randomUUID();
    // The real service, behind a real proxy that fails (500, as an unexpected server error does) every batch
    // carrying the poison record's event id, and forwards every other request as it is.
    proxy = await new StubStorage(service.url).up();
    proxy.behaviour = (request) =>
      request.path.endsWith("/batch") && request.body.includes(poisonId)
        ? { status: 500, body: problem(500, "Internal error", { detail: "internal error" }) }
        : "default";
    const registry = new Registry();
    const logger = recordingLogger();
    const publisher = new AuditPublisher({
      client: new StorageClient({ baseUrl: proxy.url, timeoutMs: 10_000 }),
      metrics: auditMetrics(registry, "orchestrator"),
      logger,
      capacity: 20_000,
      flushIntervalMs: 50,
      backoff: { baseMs: 20, capMs: 200 },
      spoolDir,
    });
    const record = (n: number) => ({
      ...orchestrationRecord(n),
      alert_fingerprint: fingerprint,
      remediation_name: `${fingerprint}-${n}`,
    });

    for (let n = 0; n < 5_000; n++) expect(publisher.publish(record(n))).toBe(true);
    expect(publisher.publish({ ...record(5_000), event_id: poisonId })).toBe(true);
    for (let n = 5_001; n <= 10_000; n++) expect(publisher.publish(record(n))).toBe(true);
    await waitFor(async () => (await publisher.flush()).ok, "every record settled", 120_000, 100);

    const events = await eventsOf(new StorageClient({ baseUrl: service.url }), fingerprint);
    expect(events).toHaveLength(10_000);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(10_000);
    expect(events.some((e) => e.event_id === poisonId)).toBe(false);

    const deadLetters = (await readFile(join(spoolDir, "dead-letter.ndjson"), "utf8")).trim().split("\n");
    expect(deadLetters).toHaveLength(1);
    const [line] = deadLetters.map((l) => JSON.parse(l) as { reason: string; record: { event_id: string } });
    expect(line?.record.event_id).toBe(poisonId);
    expect(line?.reason).toMatch(/500/);
    const logged = logger.entries.filter((e) => e.fields.event_id === poisonId);
    expect(logged.map((e) => e.message)).toEqual([
      "audit record the storage service cannot store; moved to the dead-letter file",
    ]);
    const metrics = await registry.getSingleMetricAsString(
      "kubernaut_orchestrator_audit_records_dropped_total",
    );
    expect(metrics).toContain('reason="dead_letter"} 1');
    await publisher.close();
  }, 180_000);
});
