import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/backoff.js";
import { parseRetryAfter } from "../../src/http.js";

const options = { baseMs: 100, capMs: 30_000 };

describe("backoffDelay", () => {
  it("draws uniformly below base·2^attempt (full jitter)", () => {
    expect(backoffDelay(0, options, () => 0)).toBe(0);
    expect(backoffDelay(0, options, () => 0.5)).toBe(50);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(3, options, () => 0.999)).toBe(799);
  });

  it("never exceeds the cap, however many attempts", () => {
    expect(backoffDelay(10, options, () => 0.999)).toBe(29_970);
    expect(backoffDelay(5_000, options, () => 0.999)).toBe(29_970);
  });

  it("waits at least Retry-After, up to the cap", () => {
    expect(backoffDelay(0, options, () => 0.5, 2_000)).toBe(2_000);
    expect(backoffDelay(10, options, () => 0.9, 2_000)).toBe(27_000);
    expect(backoffDelay(0, options, () => 0.5, 600_000)).toBe(30_000);
  });
});

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
