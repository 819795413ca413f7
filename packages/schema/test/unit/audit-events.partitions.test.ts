import { describe, expect, it } from "vitest";
import { auditEventsPartitionMonth, auditEventsPartitionName } from "../../src/audit-events/partitions.js";

describe("audit_events partition names", () => {
  it("names the month of a time in UTC, and reads the month back", () => {
    expect(auditEventsPartitionName(new Date("2027-01-01T00:30:00+01:00"))).toBe("audit_events_2026_12");
    expect(auditEventsPartitionMonth("audit_events_2026_12")).toEqual({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
  });

  it("answers null for a table that is not a month's partition", () => {
    for (const name of [
      "audit_events_held",
      "audit_events_live",
      "audit_events_2026_13",
      "audit_events_2026_1",
    ])
      expect(auditEventsPartitionMonth(name)).toBeNull();
  });
});
