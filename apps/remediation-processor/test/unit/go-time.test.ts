import { parseGoDuration } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { deterministicEventId, formatGoDuration } from "../../src/go-time.js";

describe("formatGoDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ns"],
    [1_500, "1.5µs"],
    [12_345_678, "12.345678ms"],
    [2_500_000_000, "2.5s"],
    [90e9, "1m30s"],
    [3600e9, "1h0m0s"],
    [3723.5e9, "1h2m3.5s"],
  ])("%d ns is %s, and parses back", (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanos);
  });
});

describe("deterministicEventId", () => {
  it("is a version 5 UUID that depends only on the name", () => {
    const id = deterministicEventId("uid-1/completed");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId("uid-1/completed")).toBe(id);
    expect(deterministicEventId("uid-1/failed")).not.toBe(id);
  });
});
