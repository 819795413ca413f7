import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  formatGoDuration,
  GO_DURATION_GRAMMAR,
  goDuration,
  goDurationText,
  goTime,
  MAX_DURATION_NANOS,
  nanosToInterval,
  parseGoDuration,
  parseGoTime,
  parseSpanMs,
  spanText,
} from "../../src/wire/index.js";

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

  it.each([
    ["0000-06-01T00:00:00Z", "year 0"],
    ["0001-01-01T00:30:00+15:59", "year 0 once in UTC"],
    ["2026-01-01T00:00:00+16:00", "an offset beyond ±15:59"],
    ["2026-01-01T00:00:00-16:00", "an offset beyond ±15:59"],
    ["9999-12-31T23:59:59-00:01", "year 10000 once in UTC"],
    ["9999-12-31T23:59:59.9999995Z", "year 10000 once rounded to the microsecond"],
  ])("refuses %s (%s): PostgreSQL cannot store it as the service writes it", (t) => {
    const result = goTime.safeParse(t);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(
      /0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, with an offset within ±15:59/,
    );
  });

  it("accepts the edges PostgreSQL stores, and Go's zero time in any spelling", () => {
    for (const t of [
      "0001-01-01T00:00:00Z",
      "0001-01-01T00:00:00+01:00",
      "0001-01-01T00:00:01Z",
      "0001-01-02T00:00:00+15:59",
      "2026-01-01T00:00:00-15:59",
      "9999-12-31T23:59:59.999999Z",
      "9999-12-31T23:59:59.9999994Z",
      "9999-12-31T23:59:59+00:00",
    ]) {
      expect(goTime.safeParse(t).success, t).toBe(true);
    }
  });

  it("maps Go's zero time and null to unset", () => {
    expect(parseGoTime("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseGoTime("0001-01-01T00:00:00.000+00:00")).toBeNull();
    expect(parseGoTime(null)).toBeNull();
    expect(parseGoTime("2025-01-15T10:30:00.5Z")?.toISOString()).toBe("2025-01-15T10:30:00.500Z");
  });
});

/** Go's own table for `time.ParseDuration` (src/time/time_test.go), within the range a JavaScript number holds. */
const GO_PARSE_TABLE: [string, number][] = [
  ["0", 0],
  ["5s", 5e9],
  ["30s", 30e9],
  ["1478s", 1478e9],
  ["-5s", -5e9],
  ["+5s", 5e9],
  ["-0", 0],
  ["+0", 0],
  ["5.0s", 5e9],
  ["5.6s", 5.6e9],
  ["5.s", 5e9],
  [".5s", 0.5e9],
  ["1.0s", 1e9],
  ["1.00s", 1e9],
  ["1.004s", 1.004e9],
  ["1.0040s", 1.004e9],
  ["100.00100s", 100.001e9],
  ["10ns", 10],
  ["11us", 11e3],
  ["12µs", 12e3],
  ["12μs", 12e3],
  ["13ms", 13e6],
  ["14s", 14e9],
  ["15m", 15 * 60e9],
  ["16h", 16 * 3600e9],
  ["3h30m", 3.5 * 3600e9],
  ["10.5s4m", 4 * 60e9 + 10.5e9],
  ["-2m3.4s", -(2 * 60e9 + 3.4e9)],
  ["1h2m3s4ms5us6ns", 3600e9 + 2 * 60e9 + 3e9 + 4e6 + 5e3 + 6],
  ["39h9m14.425s", 39 * 3600e9 + 9 * 60e9 + 14.425e9],
  ["52763797000ns", 52_763_797_000],
  ["0.3333333333333333333h", 20 * 60e9],
  ["9007199254740991ns", MAX_DURATION_NANOS],
];
/** Go's table of strings `time.ParseDuration` refuses. */
const GO_INVALID = [
  "",
  "3",
  "-",
  "s",
  ".",
  "-.",
  ".s",
  "+.s",
  "1d",
  "1.5x",
  "2.5",
  "2 seconds",
  "1h 2m",
  "1hm",
];

describe("Go duration grammar (one module: wire/go.ts)", () => {
  it.each(GO_PARSE_TABLE)("parses %j as Go does: %d ns", (text, nanos) => {
    expect(GO_DURATION_GRAMMAR.test(text)).toBe(true);
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it.each(GO_INVALID)("refuses %j as Go does", (text) => {
    expect(GO_DURATION_GRAMMAR.test(text)).toBe(false);
    expect(parseGoDuration(text)).toBeNaN();
    expect(goDuration.safeParse(text).success).toBe(false);
    expect(goDurationText.safeParse(text).success).toBe(false);
  });

  it.each([
    [0, "0s"],
    [1, "1ns"],
    [1_100, "1.1µs"],
    [2_200_000, "2.2ms"],
    [3_300_000_000, "3.3s"],
    [245e9, "4m5s"],
    [245.001e9, "4m5.001s"],
    [5 * 3600e9 + 367.001e9, "5h6m7.001s"],
    [480e9 + 1, "8m0.000000001s"],
    [-1_500_000_000, "-1.5s"],
  ])("formats %d ns as Go's Duration.String(): %s", (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
  });

  it("formats every accepted duration to text that parses back to it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_NANOS }), (nanos) => {
        const text = formatGoDuration(nanos);
        expect(goDurationText.safeParse(text).success).toBe(true);
        expect(parseGoDuration(text)).toBe(nanos);
      }),
      { seed: 1_842, numRuns: 5_000 },
    );
  });
});

describe("Go duration contracts: 0 to 2^53 - 1 ns", () => {
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
    ["9007199254740991ns", Number.MAX_SAFE_INTEGER],
  ] as const)("%s is %d ns", (input, nanos) => {
    expect(goDuration.safeParse(input).success).toBe(true);
    if (typeof input === "string") expect(goDurationText.safeParse(input).success).toBe(true);
    expect(parseGoDuration(input)).toBe(nanos);
  });

  it.each([
    ["-1.5s", -1_500_000_000],
    [-1, -1],
    ["99999999999999999999h", 3.6e32],
    ["2562048h", 9_223_372_800_000_000_000],
    ["9007199254740992ns", 2 ** 53],
  ] as const)("parses %s in Go's grammar but refuses it: outside 0 to 2^53-1 ns", (input, nanos) => {
    expect(parseGoDuration(input)).toBe(nanos);
    for (const schema of typeof input === "string" ? [goDuration, goDurationText] : [goDuration]) {
      const result = schema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/negative duration is refused|104 days/);
    }
  });

  it("rejects fractional nanoseconds", () => {
    expect(goDuration.safeParse(1.5).success).toBe(false);
  });

  it("publishes the non-negative grammar as the pattern of a duration string (OpenAPI, CRDs)", () => {
    const json = z.toJSONSchema(goDurationText, { io: "input" }) as { pattern?: string };
    const pattern = new RegExp(json.pattern ?? "");
    expect(pattern.test("1h2m3.5s")).toBe(true);
    expect(pattern.test("+5s")).toBe(true);
    expect(pattern.test("-5s")).toBe(false);
    expect(pattern.test("5")).toBe(false);
  });
});

describe("spans: Go's units plus d, up to 36500d", () => {
  it.each([
    ["7d", 7 * 86_400e3],
    ["24h", 86_400e3],
    ["1h30m", 5_400e3],
    [".5d", 43_200e3],
    ["1500ms", 1_500],
    ["36500d", 36_500 * 86_400e3],
  ])("%s is %d ms", (text, ms) => {
    expect(spanText.safeParse(text).success).toBe(true);
    expect(parseSpanMs(text)).toBe(ms);
  });

  it.each([
    ["740000d", /at most 36500d/],
    ["36500d1ms", /at most 36500d/],
    ["0d", /longer than zero/],
    ["-7d", /expected a span/],
    ["7", /expected a span/],
    ["1w", /expected a span/],
  ])("refuses %s", (text, message) => {
    const result = spanText.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe("interval text", () => {
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
