import { describe, expect, it } from "vitest";
import { GaveUp, waitFor } from "./index.js";

describe("waitFor", () => {
  it("answers the probe's first value that is neither undefined nor false", async () => {
    let probes = 0;
    const value = await waitFor("the third probe", () => (++probes === 3 ? { probes } : undefined), {
      intervalMs: 1,
    });
    expect(value).toEqual({ probes: 3 });
    let checks = 0;
    await expect(waitFor("a yes", () => ++checks > 2, { intervalMs: 1 })).resolves.toBe(true);
    expect(checks).toBe(3);
  });

  it("fails naming what it waited for after the timeout", async () => {
    await expect(
      waitFor(
        () => "nothing",
        () => false,
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow("timed out after 30 ms waiting for nothing");
  });

  it("ends at the probe's first error, unless told to retry errors", async () => {
    let probes = 0;
    const failing = () => {
      probes++;
      throw new Error("not yet up");
    };
    await expect(waitFor("a service", failing, 1_000)).rejects.toThrow("not yet up");
    expect(probes).toBe(1);
    await expect(
      waitFor("a service", failing, { timeoutMs: 30, intervalMs: 5, retryErrors: true }),
    ).rejects.toThrow("timed out after 30 ms waiting for a service (last error: Error: not yet up)");
    expect(probes).toBeGreaterThan(2);
  });

  it("ends at once when the probe gives up, even when retrying errors", async () => {
    const started = Date.now();
    await expect(
      waitFor(
        "a phase",
        () => {
          throw new GaveUp("ended failed");
        },
        { timeoutMs: 5_000, retryErrors: true },
      ),
    ).rejects.toThrow("gave up waiting for a phase: ended failed");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("backs off up to the longest interval", async () => {
    const at: number[] = [];
    await waitFor("five probes", () => at.push(Date.now()) === 5, { intervalMs: 10, maxIntervalMs: 40 });
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
    // 10, 20, 40, 40 ms, each timer at least that long.
    expect(gaps.map((gap, i) => gap >= [10, 20, 40, 40][i]! - 1)).toEqual([true, true, true, true]);
  });
});
