import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answer, FakeTransport, hang, unreachable } from "../support/fake-transport.js";
import { metricValue, publisherFor } from "../support/publisher.js";
import { orchestrationRecord } from "../support/records.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("AuditPublisher flush and close", () => {
  it("flush() sends what is buffered without waiting for the interval", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport, { flushIntervalMs: 60_000 });

    for (let i = 0; i < 3; i++) publisher.publish(orchestrationRecord(i));
    const flushed = publisher.flush();
    await vi.advanceTimersByTimeAsync(0);

    await expect(flushed).resolves.toEqual({ ok: true, pending: 0 });
    expect(transport.stored.size).toBe(3);
  });

  it("flush() resolves at the first failed attempt; delivery goes on afterwards", async () => {
    const transport = new FakeTransport().next(unreachable);
    const { publisher } = publisherFor(transport);

    publisher.publish(orchestrationRecord(1));
    const flushed = publisher.flush();
    await vi.advanceTimersByTimeAsync(0);

    await expect(flushed).resolves.toEqual({ ok: false, pending: 1 });
    await vi.advanceTimersByTimeAsync(200);
    expect(transport.stored.size).toBe(1);
  });

  it("close() drains everything buffered and in flight", async () => {
    const transport = new FakeTransport().next(answer(500));
    const { publisher } = publisherFor(transport, { maxBatchRecords: 4, flushIntervalMs: 60_000 });

    for (let i = 0; i < 10; i++) publisher.publish(orchestrationRecord(i));
    const closed = publisher.close(5_000);
    await vi.advanceTimersByTimeAsync(1_000);

    await expect(closed).resolves.toEqual({ sent: 10, unsent: 0, spooled: 0 });
    expect(transport.stored.size).toBe(10);
  });

  it("close() gives up at its deadline, aborting the request and reporting the lost records", async () => {
    const transport = new FakeTransport().next(hang);
    const { publisher, logger, registry } = publisherFor(transport);

    for (let i = 0; i < 4; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);
    const closed = publisher.close(2_000);
    await vi.advanceTimersByTimeAsync(2_000);

    await expect(closed).resolves.toEqual({ sent: 0, unsent: 4, spooled: 0 });
    expect(
      await metricValue(registry, "kubernaut_orchestrator_audit_records_dropped_total", {
        reason: "shutdown",
      }),
    ).toBe(4);
    // The first lost record is named at once; the other three are reported in one line as the publisher closes.
    const lost = logger.entries.filter((e) => e.fields.reason === "shutdown");
    expect(lost.map((e) => e.fields.remediation_name ?? e.fields.dropped)).toEqual(["rr-0", 3]);
  });

  it("after close(), publish() refuses records and close() returns the same result", async () => {
    const transport = new FakeTransport();
    const { publisher } = publisherFor(transport);

    const first = publisher.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(publisher.publish(orchestrationRecord(1))).toBe(false);
    expect(publisher.close()).toBe(first);
    await expect(first).resolves.toEqual({ sent: 0, unsent: 0, spooled: 0 });
  });
});

describe("AuditPublisher readiness", () => {
  it("is ready while idle, unready once the service has not answered for the window, ready on any answer", async () => {
    let now = 0;
    const transport = new FakeTransport().next(unreachable, 50).next(answer(503));
    const { publisher } = publisherFor(transport, {
      readinessWindowMs: 30_000,
      backoff: { baseMs: 100, capMs: 1_000 },
      now: () => now,
    });
    expect(publisher.ready()).toBe(true);

    publisher.publish(orchestrationRecord(1));
    await vi.advanceTimersByTimeAsync(1_000);
    now = 29_999;
    expect(publisher.ready()).toBe(true);
    now = 30_000;
    expect(publisher.ready()).toBe(false);

    transport.script.splice(0, transport.script.length, answer(503));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(publisher.ready()).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.stored.size).toBe(1);
  });
});
