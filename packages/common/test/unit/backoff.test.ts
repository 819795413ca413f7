import { describe, expect, it } from "vitest";
import { exponentialDelay, jitteredDelay, sleep } from "../../src/backoff.js";

describe("exponentialDelay", () => {
  const options = { baseMs: 100, capMs: 60_000 };

  it("is 0 before any failure, then base·2^(retry−1)", () => {
    expect(exponentialDelay(0, options)).toBe(0);
    expect(exponentialDelay(1, options)).toBe(100);
    expect(exponentialDelay(2, options)).toBe(200);
    expect(exponentialDelay(4, options)).toBe(800);
  });

  it("never exceeds the cap, however many retries", () => {
    expect(exponentialDelay(11, options)).toBe(60_000);
    expect(exponentialDelay(5_000, options)).toBe(60_000);
    expect(exponentialDelay(5_000, { baseMs: 20, capMs: Number.POSITIVE_INFINITY })).toBe(20 * 2 ** 52);
  });
});

describe("jitteredDelay", () => {
  const options = { baseMs: 100, capMs: 30_000 };

  it("draws uniformly below base·2^(retry−1) (full jitter)", () => {
    expect(jitteredDelay(1, options, () => 0)).toBe(0);
    expect(jitteredDelay(1, options, () => 0.5)).toBe(50);
    expect(jitteredDelay(4, options, () => 0.5)).toBe(400);
    expect(jitteredDelay(4, options, () => 0.999)).toBe(799);
  });

  it("never exceeds the cap, however many retries", () => {
    expect(jitteredDelay(11, options, () => 0.999)).toBe(29_970);
    expect(jitteredDelay(5_001, options, () => 0.999)).toBe(29_970);
  });

  it("waits at least the floor (a server's Retry-After), up to the cap", () => {
    expect(jitteredDelay(1, options, () => 0.5, 2_000)).toBe(2_000);
    expect(jitteredDelay(11, options, () => 0.9, 2_000)).toBe(27_000);
    expect(jitteredDelay(1, options, () => 0.5, 600_000)).toBe(30_000);
  });
});

describe("sleep", () => {
  it("resolves at once when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1_000);
    await sleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
