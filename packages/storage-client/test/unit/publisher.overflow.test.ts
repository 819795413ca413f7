import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeTransport, hang } from "../support/fake-transport.js";
import { metricValue, publisherFor } from "../support/publisher.js";
import { orchestrationRecord } from "../support/records.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const DROPPED = "kubernaut_orchestrator_audit_records_dropped_total";
const names = (records: readonly string[]) =>
  records.map((r) => (JSON.parse(r) as { remediation_name: string }).remediation_name);

describe("AuditPublisher overflow", () => {
  it("drop-oldest keeps the newest records, counting each one dropped and logging the first, then a count", async () => {
    const transport = new FakeTransport();
    const { publisher, logger, registry } = publisherFor(transport, { capacity: 5, overflow: "drop-oldest" });

    for (let i = 0; i < 8; i++) expect(publisher.publish(orchestrationRecord(i))).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(names(transport.sends.flat())).toEqual(["rr-3", "rr-4", "rr-5", "rr-6", "rr-7"]);
    expect(await metricValue(registry, DROPPED, { reason: "buffer_full" })).toBe(3);
    const drops = logger.entries.filter((e) => e.fields.reason === "buffer_full");
    expect(drops.map((e) => e.fields.remediation_name)).toEqual(["rr-0"]);
    expect(drops[0]?.fields).toMatchObject({
      kind: "remediation-orchestration",
      alert_fingerprint: "fp-0",
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The others of the flood: one line per interval, with the count and the first of them.
    await vi.advanceTimersByTimeAsync(10_000);
    const reports = logger.entries.filter((e) => e.fields.reason === "buffer_full" && "dropped" in e.fields);
    expect(
      reports.map((e) => [
        e.fields.dropped,
        (e.fields.first as { remediation_name: string }).remediation_name,
      ]),
    ).toEqual([[2, "rr-1"]]);
  });

  it("drop-new keeps the oldest records and tells the caller", async () => {
    const transport = new FakeTransport();
    const { publisher, registry } = publisherFor(transport, { capacity: 5, overflow: "drop-new" });

    const accepted = Array.from({ length: 8 }, (_, i) => publisher.publish(orchestrationRecord(i)));
    await vi.advanceTimersByTimeAsync(1_000);

    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    expect(names(transport.sends.flat())).toEqual(["rr-0", "rr-1", "rr-2", "rr-3", "rr-4"]);
    expect(await metricValue(registry, DROPPED, { reason: "buffer_full" })).toBe(3);
  });

  it("never blocks: with the service hanging, publishing far past capacity returns at once", async () => {
    const transport = new FakeTransport().next(hang, 100);
    const { publisher, registry } = publisherFor(transport, { capacity: 1_000, maxBatchRecords: 100 });

    for (let i = 0; i < 100; i++) publisher.publish(orchestrationRecord(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.sends).toHaveLength(1);

    for (let i = 100; i < 50_000; i++) publisher.publish(orchestrationRecord(i));
    expect(publisher.stats()).toMatchObject({ published: 50_000, pending: 1_100 });
    expect(await metricValue(registry, DROPPED, { reason: "buffer_full" })).toBe(48_900);
    expect(await metricValue(registry, "kubernaut_orchestrator_pending_audit_records")).toBe(1_100);
  });
});
