import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventIdsOf, FakeTransport, unreachable } from "../support/fake-transport.js";
import { publisherFor } from "../support/publisher.js";
import { aiAnalysisRecord, orchestrationRecord, processingRecord } from "../support/records.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("AuditPublisher batching", () => {
  it("sends full batches at once and the remainder when the flush interval passes", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport, { maxBatchRecords: 100, flushIntervalMs: 1_000 });

    for (let i = 0; i < 250; i++) expect(publisher.publish(orchestrationRecord(i))).toBe(true);
    expect(transport.sends).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(0);
    expect(transport.sends.map((s) => s.length)).toEqual([100, 100]);

    await vi.advanceTimersByTimeAsync(999);
    expect(transport.sends).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.sends.map((s) => s.length)).toEqual([100, 100, 50]);
    expect(transport.stored.size).toBe(250);
    expect(publisher.stats()).toMatchObject({ published: 250, sent: 250, pending: 0 });
  });

  it("sizes batches by the service's max_batch_records when it is lower", async () => {
    const transport = new FakeTransport();
    transport.limitsAnswer = () => Promise.resolve({ max_batch_records: 40, max_body_bytes: 1 << 20 });
    const { publisher } = publisherFor(transport, { maxBatchRecords: 100 });

    for (let i = 0; i < 100; i++) publisher.publish(processingRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);

    expect(transport.sends.map((s) => s.length)).toEqual([40, 40, 20]);
    expect(transport.limitsCalls).toBe(1);
  });

  it("falls back to the configured batch size when the limits cannot be read, and asks again later", async () => {
    const transport = new FakeTransport();
    let limitsUp = false;
    transport.limitsAnswer = () =>
      limitsUp
        ? Promise.resolve({ max_batch_records: 10, max_body_bytes: 1 << 20 })
        : unreachable([], undefined).then(() => ({ max_batch_records: 1, max_body_bytes: 1 }));
    const { publisher } = publisherFor(transport, { maxBatchRecords: 30 });

    for (let i = 0; i < 30; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.sends.map((s) => s.length)).toEqual([30]);

    limitsUp = true;
    await vi.advanceTimersByTimeAsync(61_000);
    for (let i = 0; i < 30; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.limitsCalls).toBe(2);
    expect(transport.sends.slice(1).map((s) => s.length)).toEqual([10, 10, 10]);
  });

  it("stamps each record with a new event_id and keeps one the caller set", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport);
    const given = "0b7f3c0e-6a57-4a52-9d9e-3f0a3a1c2b11";

    publisher.publish(orchestrationRecord(1));
    publisher.publish(orchestrationRecord(1));
    publisher.publish({ ...aiAnalysisRecord(2), event_id: given });
    await vi.advanceTimersByTimeAsync(1_000);

    const ids = eventIdsOf(transport.sends.flat());
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[2]).toBe(given);
  });

  it("sends the record as it was when published, whatever the caller changes later", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport);
    const record = orchestrationRecord(1, "processing");

    publisher.publish(record);
    (record as { overall_phase: string }).overall_phase = "completed";
    await vi.advanceTimersByTimeAsync(1_000);

    expect(JSON.parse(transport.sends[0]?.[0] ?? "{}")).toMatchObject({ overall_phase: "processing" });
  });

  it("never throws into the caller, even for a record that cannot be serialised", async () => {
    const transport = new FakeTransport();
    transport.storeSerializedBatch = () => {
      throw new Error("transport exploded synchronously");
    };
    const { publisher, logger } = publisherFor(transport);
    const circular = orchestrationRecord(1) as Record<string, unknown>;
    circular.self = circular;

    expect(() => publisher.publish(circular as never)).not.toThrow();
    expect(publisher.publish(circular as never)).toBe(false);
    expect(publisher.publish(orchestrationRecord(2))).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(publisher.stats().dropped).toBe(2);
    expect(logger.entries.some((e) => e.message.includes("cannot be serialised"))).toBe(true);
    expect(logger.entries.some((e) => e.message.includes("will retry"))).toBe(true);
  });

  it("keeps records in publication order with one batch in flight", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport, { maxBatchRecords: 7 });

    for (let i = 0; i < 50; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);

    const names = transport.sends
      .flat()
      .map((r) => (JSON.parse(r) as { remediation_name: string }).remediation_name);
    expect(names).toEqual(Array.from({ length: 50 }, (_, i) => `rr-${i}`));
  });
});
