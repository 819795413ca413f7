import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accept, answer, eventIdsOf, FakeTransport, unreachable } from "../support/fake-transport.js";
import { metricValue, publisherFor } from "../support/publisher.js";
import { orchestrationRecord } from "../support/records.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const names = (records: readonly string[]) =>
  records.map((r) => (JSON.parse(r) as { remediation_name: string }).remediation_name);

describe("AuditPublisher retries", () => {
  it("retries 5xx and network errors with growing backoff, resending the same event_ids", async () => {
    const transport = new FakeTransport().next(answer(503)).next(unreachable).next(answer(500));
    const { publisher, registry } = publisherFor(transport, { backoff: { baseMs: 100, capMs: 30_000 } });

    for (let i = 0; i < 3; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.sends).toHaveLength(1);

    // Full jitter with random≈1 waits just under 100, 200, then 400 ms.
    await vi.advanceTimersByTimeAsync(99);
    expect(transport.sends).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(transport.sends).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(300);
    expect(transport.sends).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.sends).toHaveLength(4);

    const first = eventIdsOf(transport.sends[0] ?? []);
    for (const send of transport.sends) expect(eventIdsOf(send)).toEqual(first);
    expect(transport.stored.size).toBe(3);
    const attempts = "kubernaut_orchestrator_audit_publish_attempts_total";
    expect(await metricValue(registry, attempts, { status: "error" })).toBe(9);
    expect(await metricValue(registry, attempts, { status: "success" })).toBe(3);
    expect(await metricValue(registry, "kubernaut_orchestrator_audit_publish_failures_total")).toBe(9);
  });

  it("caps the backoff", async () => {
    const transport = new FakeTransport().next(unreachable, 12);
    const { publisher } = publisherFor(transport, { backoff: { baseMs: 100, capMs: 1_000 } });

    publisher.publish(orchestrationRecord(1));
    await vi.advanceTimersByTimeAsync(1_000 + 100 + 200 + 400 + 800);
    const before = transport.sends.length;
    await vi.advanceTimersByTimeAsync(3 * 1_000);
    expect(transport.sends.length - before).toBe(3);
  });

  it("honours Retry-After on a 429", async () => {
    const transport = new FakeTransport().next(answer(429, { retryAfterMs: 5_000 }));
    const { publisher } = publisherFor(transport);

    publisher.publish(orchestrationRecord(1));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(transport.sends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.sends).toHaveLength(2);
    expect(transport.stored.size).toBe(1);
  });

  it("honours Retry-After on a 503 (the service's database busy for a moment)", async () => {
    const transport = new FakeTransport().next(answer(503, { retryAfterMs: 3_000 }));
    const { publisher } = publisherFor(transport);

    publisher.publish(orchestrationRecord(1));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(transport.sends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.sends).toHaveLength(2);
    expect(transport.stored.size).toBe(1);
  });

  it("retries 401 and 403, since a rotated token may fix them", async () => {
    const transport = new FakeTransport().next(answer(401)).next(answer(403));
    const { publisher } = publisherFor(transport);

    publisher.publish(orchestrationRecord(1));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(transport.sends).toHaveLength(3);
    expect(transport.stored.size).toBe(1);
  });

  it("drops only the records a 400 names, logging their field errors, and resends the rest at once", async () => {
    const transport = new FakeTransport().next(
      answer(400, {
        errors: [
          { path: "records.1.start_time", message: "expected an RFC 3339 time" },
          { path: "records.3.remediation_name", message: "must not be empty" },
        ],
      }),
    );
    const { publisher, logger, registry } = publisherFor(transport);

    for (let i = 0; i < 5; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);

    expect(transport.sends.map(names)).toEqual([
      ["rr-0", "rr-1", "rr-2", "rr-3", "rr-4"],
      ["rr-0", "rr-2", "rr-4"],
    ]);
    expect(publisher.stats()).toMatchObject({ sent: 3, rejected: 2, pending: 0 });
    const rejected = logger.entries.filter((e) => e.message.includes("rejected"));
    expect(rejected.map((e) => e.fields)).toEqual([
      expect.objectContaining({
        kind: "remediation-orchestration",
        remediation_name: "rr-1",
        alert_fingerprint: "fp-1",
        event_id: expect.any(String),
        status: 400,
        errors: [{ path: "start_time", message: "expected an RFC 3339 time" }],
      }),
      expect.objectContaining({
        remediation_name: "rr-3",
        errors: [{ path: "remediation_name", message: "must not be empty" }],
      }),
    ]);
    expect(
      await metricValue(registry, "kubernaut_orchestrator_audit_records_dropped_total", {
        reason: "rejected",
      }),
    ).toBe(2);
  });

  it.each([400, 409, 422])(
    "bisects a batch refused (%i) without per-record errors until the bad record is alone",
    async (status) => {
      const transport = new FakeTransport();
      const bad = (records: readonly string[]) => names(records).includes("rr-5");
      for (let i = 0; i < 10; i++) {
        transport.next((records, options) =>
          bad(records) ? answer(status)(records, options) : accept(records, options),
        );
      }
      const { publisher } = publisherFor(transport);

      for (let i = 0; i < 8; i++) publisher.publish(orchestrationRecord(i));
      await vi.advanceTimersByTimeAsync(1_000);

      expect([...transport.stored.values()].map((r) => r.remediation_name).sort()).toEqual([
        "rr-0",
        "rr-1",
        "rr-2",
        "rr-3",
        "rr-4",
        "rr-6",
        "rr-7",
      ]);
      expect(publisher.stats()).toMatchObject({ sent: 7, rejected: 1, pending: 0 });
    },
  );

  it("splits a batch the service finds too large (413)", async () => {
    const transport = new FakeTransport().next(answer(413));
    const { publisher } = publisherFor(transport);

    for (let i = 0; i < 6; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);

    expect(transport.sends.map((s) => s.length)).toEqual([6, 3, 3]);
    expect(transport.stored.size).toBe(6);
  });

  it("logs the first 10 rejected records of an interval one by one, then one line with how many more", async () => {
    const transport = new FakeTransport().next(
      (records, options) =>
        answer(400, {
          errors: records.map((_, i) => ({ path: `records.${i}.overall_phase`, message: "unknown" })),
        })(records, options),
      3,
    );
    const { publisher, logger, registry } = publisherFor(transport);

    for (let i = 0; i < 50; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(1_000);
    const logged = () => logger.entries.filter((e) => e.message.includes("rejected"));
    expect(logged().map((e) => e.fields.remediation_name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `rr-${i}`),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(
      logged()
        .slice(10)
        .map((e) => [e.fields.dropped, (e.fields.first as { remediation_name: string }).remediation_name]),
    ).toEqual([[40, "rr-10"]]);
    // A second flood within the next interval is one line too, at its end.
    for (let i = 50; i < 60; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(11_000);
    expect(
      logged()
        .slice(11)
        .map((e) => e.fields.dropped),
    ).toEqual([10]);
    expect(
      await metricValue(registry, "kubernaut_orchestrator_audit_records_dropped_total", {
        reason: "rejected",
      }),
    ).toBe(60);
  });

  it("does not retry other 4xx answers: the records are rejected", async () => {
    const transport = new FakeTransport().next(answer(404));
    const { publisher, registry } = publisherFor(transport);

    publisher.publish(orchestrationRecord(1));
    publisher.publish(orchestrationRecord(2));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(transport.sends).toHaveLength(1);
    expect(publisher.stats()).toMatchObject({ rejected: 2, pending: 0 });
    expect(
      await metricValue(registry, "kubernaut_orchestrator_audit_records_dropped_total", {
        reason: "rejected",
      }),
    ).toBe(2);
  });
});

describe("AuditPublisher backoff during an outage", () => {
  it("keeps backing off while records keep arriving; the flush interval does not cut retries short", async () => {
    const transport = new FakeTransport().next(unreachable, 1_000);
    const { publisher } = publisherFor(transport, { backoff: { baseMs: 100, capMs: 30_000 } });

    publisher.publish(orchestrationRecord(0));
    for (let t = 0; t < 200; t++) {
      await vi.advanceTimersByTimeAsync(100);
      publisher.publish(orchestrationRecord(t + 1));
    }

    // With random≈1 each wait is just under 100·2^attempt ms: the gaps double, whatever is published meanwhile.
    const gaps = transport.sentAt.slice(1).map((t, i) => t - (transport.sentAt[i] ?? 0));
    expect(gaps).toEqual([99, 199, 399, 799, 1_599, 3_199, 6_399]);
  });

  it("sets no record aside when the service fails on everything (500s), and delivers all once it recovers", async () => {
    const transport = new FakeTransport().next(answer(500), 40);
    const { publisher, registry } = publisherFor(transport, { backoff: { baseMs: 10, capMs: 50 } });

    for (let i = 0; i < 4; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(60_000);

    // Split down to single records, each tried and put back behind the others, but none dead-lettered.
    expect(transport.sends.some((send) => send.length === 1)).toBe(true);
    expect(
      await metricValue(registry, "kubernaut_orchestrator_audit_records_dropped_total", {
        reason: "dead_letter",
      }),
    ).toBe(0);
    expect(transport.stored.size).toBe(4);
    expect((await publisher.flush()).ok).toBe(true);
  });
});
