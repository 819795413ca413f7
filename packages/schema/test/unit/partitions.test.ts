import { describe, expect, it } from "vitest";
import { monthOfPartition, monthPartitionName } from "../../src/partitions.js";

describe("month partition names", () => {
  it("names the month of a time in UTC, and reads the month back", () => {
    expect(monthPartitionName("audit_events", new Date("2027-01-01T00:30:00+01:00"))).toBe(
      "audit_events_2026_12",
    );
    expect(monthPartitionName("ai_analysis_audit", new Date("2027-01-01T00:30:00Z"))).toBe(
      "ai_analysis_audit_2027_01",
    );
    expect(monthOfPartition("audit_events", "audit_events_2026_12")).toEqual({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
    expect(monthOfPartition("remediation_audit", "remediation_audit_2027_02")).toEqual({
      from: new Date("2027-02-01T00:00:00Z"),
      to: new Date("2027-03-01T00:00:00Z"),
    });
  });

  it("answers null for a table that is not one of the table's months", () => {
    for (const name of [
      "audit_events_held",
      "audit_events_2026_13",
      "audit_events_2026_1",
      "remediation_audit_2026_12",
    ])
      expect(monthOfPartition("audit_events", name)).toBeNull();
    expect(monthOfPartition("remediation_audit", "remediation_audit_archive")).toBeNull();
  });
});
