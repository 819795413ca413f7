import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSql, type StorageService } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditPublisher, auditMetrics, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { orchestrationRecord } from "../support/records.js";
import { eventsOf, startRealStorage } from "../support/storage-service.js";
import { problem, StubStorage } from "../support/stub-storage.js";

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

describe("a record the Data Storage Service cannot store", () => {
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
    await waitFor("every record settled", async () => (await publisher.flush()).ok, {
      timeoutMs: 120_000,
      intervalMs: 100,
    });

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

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "refused by the service's own database (PostgreSQL): one is rejected (400), one dead-lettered (500), 10,000 stored once",
    async () => {
      const fingerprint = `refused-${Date.now()}`;
      const refusedId = randomUUID();
      const brokenId = randomUUID();
      // A trigger in the service's database fails these two events as the database would: one with a constraint
      // violation (a value the service answers 400 for), one with an internal error (the service answers 500).
      await runSql(
        String(service.databaseUrl),
        `CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.event_id = '${refusedId}' THEN
            RAISE EXCEPTION 'a test constraint refuses this record' USING ERRCODE = 'check_violation';
          END IF;
          IF NEW.event_id = '${brokenId}' THEN
            RAISE EXCEPTION 'the database cannot store this record' USING ERRCODE = 'internal_error';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER poison BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION poison();`,
      );
      const deadLetterDir = await mkdtemp(join(tmpdir(), "refused-spool-"));
      const registry = new Registry();
      const logger = recordingLogger();
      const publisher = new AuditPublisher({
        client: new StorageClient({ baseUrl: service.url, timeoutMs: 10_000 }),
        metrics: auditMetrics(registry, "orchestrator"),
        logger,
        capacity: 20_000,
        flushIntervalMs: 50,
        backoff: { baseMs: 20, capMs: 200 },
        spoolDir: deadLetterDir,
      });
      const record = (n: number) => ({
        ...orchestrationRecord(n),
        alert_fingerprint: fingerprint,
        remediation_name: `${fingerprint}-${n}`,
      });
      try {
        for (let n = 0; n < 3_000; n++) expect(publisher.publish(record(n))).toBe(true);
        expect(publisher.publish({ ...record(3_000), event_id: refusedId })).toBe(true);
        for (let n = 3_001; n < 7_000; n++) expect(publisher.publish(record(n))).toBe(true);
        expect(publisher.publish({ ...record(7_000), event_id: brokenId })).toBe(true);
        for (let n = 7_001; n <= 10_001; n++) expect(publisher.publish(record(n))).toBe(true);
        await waitFor("every record settled", async () => (await publisher.flush()).ok, {
          timeoutMs: 120_000,
          intervalMs: 100,
        });

        const events = await eventsOf(new StorageClient({ baseUrl: service.url }), fingerprint);
        const ids = new Set(events.map((e) => e.event_id));
        expect(events).toHaveLength(10_000);
        expect(ids.size).toBe(10_000);
        expect([ids.has(refusedId), ids.has(brokenId)]).toEqual([false, false]);

        const deadLetters = (await readFile(join(deadLetterDir, "dead-letter.ndjson"), "utf8"))
          .trim()
          .split("\n");
        expect(
          deadLetters.map((l) => (JSON.parse(l) as { record: { event_id: string } }).record.event_id),
        ).toEqual([brokenId]);
        const rejected = logger.entries.filter((e) => e.fields.event_id === refusedId);
        expect(rejected.map((e) => [e.message, e.fields.status])).toEqual([
          ["audit record rejected by the storage service; dropped", 400],
        ]);
        expect(String(rejected[0]?.fields.detail)).toContain("SQLSTATE 23514");
        const metrics = await registry.getSingleMetricAsString(
          "kubernaut_orchestrator_audit_records_dropped_total",
        );
        expect(metrics).toContain('reason="dead_letter"} 1');
        expect(metrics).toContain('reason="rejected"} 1');
      } finally {
        await publisher.close();
        await rm(deadLetterDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
