import { waitFor } from "@kubernaut/testing/wait";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditPublisher, type AuditPublisherOptions, auditMetrics, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { orchestrationRecord, processingRecord } from "../support/records.js";
import { problem, StubStorage } from "../support/stub-storage.js";

/** Outage length; `STORAGE_OUTAGE_MS=30000` runs the seeds' 30-second outage. */
const OUTAGE_MS = Number(process.env.STORAGE_OUTAGE_MS ?? 3_000);

let stub: StubStorage;
beforeEach(async () => {
  stub = await new StubStorage().up();
});
afterEach(async () => {
  await stub.down();
});

function publisher(options: Partial<AuditPublisherOptions> = {}, timeoutMs = 1_000) {
  const registry = new Registry();
  const logger = recordingLogger();
  const instance = new AuditPublisher({
    client: new StorageClient({ baseUrl: stub.url, timeoutMs }),
    metrics: auditMetrics(registry, "orchestrator"),
    logger,
    flushIntervalMs: 50,
    backoff: { baseMs: 50, capMs: 1_000 },
    ...options,
  });
  return { publisher: instance, registry, logger };
}

const storedNames = () =>
  [...stub.stored.values()].map((r) => String(r.remediation_name ?? r.remediation_id)).sort();
const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `rr-${from + i}`).sort();

describe("AuditPublisher over HTTP", () => {
  it(
    `delivers every record exactly once across a ${OUTAGE_MS} ms outage`,
    async () => {
      const { publisher: p, registry } = publisher({ maxBatchRecords: 50 });
      let n = 0;
      const publishSome = (count: number) => {
        for (let i = 0; i < count; i++) p.publish(orchestrationRecord(n++));
      };
      publishSome(20);
      await waitFor("first records", () => stub.stored.size === 20, 10_000);

      await stub.down();
      const outageEnds = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEnds) {
        publishSome(10);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(p.stats().pending).toBeGreaterThan(0);
      await stub.up();

      await waitFor("every record after the outage", () => stub.stored.size === n, 30_000);
      expect(storedNames()).toEqual(names(n));
      expect(stub.duplicates).toBe(0);
      await expect(p.close(5_000)).resolves.toMatchObject({ unsent: 0, spooled: 0 });
      const text = await registry.metrics();
      expect(text).toMatch(/kubernaut_orchestrator_audit_publish_attempts_total\{status="error"\} [1-9]/);
      expect(text).toContain(`kubernaut_orchestrator_audit_publish_attempts_total{status="success"} ${n}`);
    },
    OUTAGE_MS + 40_000,
  );

  it("retries a 500 and delivers", async () => {
    let calls = 0;
    stub.behaviour = (r) =>
      r.path.endsWith("/batch") && calls++ === 0
        ? { status: 500, body: problem(500, "Internal Server Error") }
        : "default";
    const { publisher: p } = publisher();
    p.publish(orchestrationRecord(1));

    await waitFor("delivery after a 500", () => stub.stored.size === 1, 10_000);
    expect(stub.batches()).toHaveLength(2);
    await p.close();
  });

  it("waits as long as a 429's Retry-After says", async () => {
    let calls = 0;
    stub.behaviour = (r) =>
      r.path.endsWith("/batch") && calls++ === 0
        ? {
            status: 429,
            body: problem(429, "Too Many Requests"),
            headers: { "content-type": "application/problem+json", "retry-after": "1" },
          }
        : "default";
    const { publisher: p } = publisher();
    p.publish(orchestrationRecord(1));

    await waitFor("delivery after a 429", () => stub.stored.size === 1, 10_000);
    const [first, second] = stub.batches();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await p.close();
  });

  it("drops only the records the service's 400 names and delivers the rest", async () => {
    const { publisher: p, logger } = publisher();
    p.publish(orchestrationRecord(0));
    p.publish({ ...orchestrationRecord(1), start_time: "0001-01-01T00:00:00Z" });
    p.publish(processingRecord(2));
    p.publish({ ...orchestrationRecord(3), remediation_name: "" });

    await waitFor("a verdict on every record", () => p.stats().pending === 0, 10_000);
    expect(storedNames()).toEqual(["rr-0", "rr-2"]);
    expect(p.stats()).toMatchObject({ sent: 2, rejected: 2 });
    const rejected = logger.entries.filter((e) => e.message.includes("rejected"));
    expect(rejected.map((e) => [e.fields.remediation_name, e.fields.errors])).toEqual([
      ["rr-1", [{ path: "start_time", message: expect.stringContaining("must be set") }]],
      [undefined, [{ path: "remediation_name", message: "must not be empty" }]],
    ]);
    await p.close();
  });

  it("gives up on a request that hangs past the timeout and sends it again", async () => {
    let calls = 0;
    stub.behaviour = (r) => (r.path.endsWith("/batch") && calls++ === 0 ? "hang" : "default");
    const { publisher: p, logger } = publisher({}, 300);
    p.publish(orchestrationRecord(1));

    await waitFor("delivery after a timeout", () => stub.stored.size === 1, 10_000);
    expect(stub.batches()).toHaveLength(2);
    expect(logger.entries.some((e) => String(e.fields.err).includes("no answer within 300 ms"))).toBe(true);
    await p.close();
  });

  it("counts overflow and never blocks while the service hangs", async () => {
    stub.behaviour = (r) => (r.path.endsWith("/batch") ? "hang" : "default");
    const { publisher: p, registry } = publisher({ capacity: 1_000, maxBatchRecords: 100 }, 60_000);

    for (let i = 0; i < 100; i++) p.publish(orchestrationRecord(i));
    await waitFor("a batch in flight", () => stub.batches().length === 1, 10_000);
    const started = performance.now();
    for (let i = 100; i < 20_100; i++) p.publish(orchestrationRecord(i));
    const elapsedMs = performance.now() - started;

    expect(p.stats()).toMatchObject({ published: 20_100, pending: 1_100, dropped: 19_000 });
    expect(await registry.metrics()).toContain(
      'kubernaut_orchestrator_audit_records_dropped_total{reason="buffer_full"} 19000',
    );
    expect(elapsedMs).toBeLessThan(5_000);
    await expect(p.close(100)).resolves.toEqual({ sent: 0, unsent: 1_100, spooled: 0 });
  });

  it("close() drains everything buffered", async () => {
    const { publisher: p } = publisher({ maxBatchRecords: 200, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5_000; i++) p.publish(orchestrationRecord(i));

    await expect(p.close(10_000)).resolves.toEqual({ sent: 5_000, unsent: 0, spooled: 0 });
    expect(stub.stored.size).toBe(5_000);
  });
});
