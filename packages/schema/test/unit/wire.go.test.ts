import { describe, expect, it } from "vitest";
import { goDuration, goTime, nanosToInterval, parseGoDuration, parseGoTime } from "../../src/index.js";

describe("Go time", () => {
  it("accepts RFC 3339 with nanoseconds and offsets", () => {
    for (const t of ["2025-01-15T10:30:00.123456789Z", "2025-01-15T10:30:00+01:00", "2025-01-15T10:30:00Z"]) {
      expect(goTime.safeParse(t).success, t).toBe(true);
    }
  });

  it("rejects times without an offset or in other formats", () => {
    for (const t of ["2025-01-15 10:30:00", "2025-01-15T10:30:00", "yesterday", "1736937000"]) {
      expect(goTime.safeParse(t).success, t).toBe(false);
    }
  });

  it("maps Go's zero time and null to unset", () => {
    expect(parseGoTime("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseGoTime("0001-01-01T00:00:00.000+00:00")).toBeNull();
    expect(parseGoTime(null)).toBeNull();
    expect(parseGoTime("2025-01-15T10:30:00.5Z")?.toISOString()).toBe("2025-01-15T10:30:00.500Z");
  });
});

describe("Go duration", () => {
  it.each([
    [2500000000, 2_500_000_000],
    ["2.5s", 2_500_000_000],
    ["1m30s", 90_000_000_000],
    ["1h2m3.5s", 3_723_500_000_000],
    ["150ms", 150_000_000],
    ["12µs", 12_000],
    [".5s", 500_000_000],
    ["+1s", 1_000_000_000],
    ["0", 0],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ] as const)("%s is %d ns", (input, nanos) => {
    expect(goDuration.safeParse(input).success).toBe(true);
    expect(parseGoDuration(input)).toBe(nanos);
  });

  it.each(["2.5", "2 seconds", "s", "1.5x", ""])("rejects %j", (input) => {
    expect(goDuration.safeParse(input).success).toBe(false);
  });

  it.each([
    ["-1.5s", -1_500_000_000],
    [-1, -1],
    ["99999999999999999999h", 3.6e32],
    ["2562048h", 9_223_372_800_000_000_000],
  ] as const)("parses %s in Go's grammar but refuses it: outside 0 to 2^53-1 ns", (input, nanos) => {
    expect(parseGoDuration(input)).toBe(nanos);
    const result = goDuration.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/negative duration is refused|104 days/);
  });

  it("rejects fractional nanoseconds", () => {
    expect(goDuration.safeParse(1.5).success).toBe(false);
  });

  it.each([
    [2_500_000_000, "PT2.5S"],
    [90_000_000_000, "PT90S"],
    [1_000, "PT0.000001S"],
    [0, "PT0S"],
    [-1_500_000_000, "-PT1.5S"],
  ])("%d ns is the interval %s", (nanos, interval) => {
    expect(nanosToInterval(nanos)).toBe(interval);
  });
});
