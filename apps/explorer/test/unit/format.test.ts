import { describe, expect, it } from "vitest";
import { isoToLocalInput, localInputToIso, remediationDuration } from "../../src/format.js";

describe("remediationDuration", () => {
  const start = "2026-12-04T10:00:00Z";

  it("is the time to completion, or running while the remediation runs", () => {
    expect(
      remediationDuration({
        overall_phase: "completed",
        start_time: start,
        completion_time: "2026-12-04T10:00:20Z",
      }),
    ).toBe("20.0s");
    expect(
      remediationDuration({ overall_phase: "executing", start_time: start, completion_time: null }),
    ).toBe("running");
  });

  it("is never running for a timed-out or failed remediation", () => {
    expect(
      remediationDuration({
        overall_phase: "timeout",
        start_time: start,
        completion_time: null,
        timeout_time: "2026-12-04T10:10:00Z",
        updated_at: "2026-12-04T10:10:01Z",
      }),
    ).toBe("10m 0s");
    expect(remediationDuration({ overall_phase: "timeout", start_time: start })).toBe("timed out");
    expect(
      remediationDuration({
        overall_phase: "failed",
        start_time: start,
        completion_time: null,
        updated_at: "2026-12-04T10:01:00Z",
      }),
    ).toBe("1m 0s");
    expect(remediationDuration({ overall_phase: "failed", start_time: start })).toBe("—");
  });
});

describe("datetime-local ⇄ RFC 3339", () => {
  it("keeps seconds and milliseconds, so a linked time comes back as the same instant", () => {
    for (const iso of ["2026-12-04T23:00:30.500Z", "2026-12-04T23:00:30.000Z", "2026-01-31T00:00:59.001Z"]) {
      const local = isoToLocalInput(iso);
      expect(local).toMatch(/T\d\d:\d\d:\d\d/);
      expect(localInputToIso(local)).toBe(iso);
    }
    expect(isoToLocalInput("2026-12-04T23:00:30.5Z")).toMatch(/:30\.500$/);
    expect(isoToLocalInput("2026-12-04T23:00:30Z")).toMatch(/:\d\d:30$/);
    expect(isoToLocalInput("yesterday")).toBe("");
  });
});
