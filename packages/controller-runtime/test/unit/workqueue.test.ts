import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ProcessResult, WorkQueue } from "../../src/workqueue.js";

/** A process function whose calls stay in flight until the test settles them. */
function controllable() {
  const calls: { key: string; settle: (result?: ProcessResult | Error) => void }[] = [];
  const process = (key: string) =>
    new Promise<ProcessResult>((resolve, reject) => {
      calls.push({
        key,
        settle: (result) => (result instanceof Error ? reject(result) : resolve(result ?? {})),
      });
    });
  return { calls, process };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("WorkQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds a key at most once however often it is added", async () => {
    const seen: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        seen.push(key);
        return {};
      },
      { name: "dedupe" },
    );
    for (const key of ["ns/a", "ns/b", "ns/a", "ns/a", "ns/b"]) queue.add(key);
    expect(queue.depth).toBe(2);
    queue.start();
    await flush();
    expect(seen).toEqual(["ns/a", "ns/b"]);
    await queue.shutdown();
  });

  it("never runs one key twice at once, and runs it once more when it was added while in flight", async () => {
    const { calls, process } = controllable();
    const queue = new WorkQueue(process, { name: "in-flight", concurrency: 4 });
    queue.start();
    queue.add("ns/a");
    await flush();
    queue.add("ns/a");
    queue.add("ns/a");
    await flush();
    expect(calls.map((call) => call.key)).toEqual(["ns/a"]);
    expect(queue.inFlight).toBe(1);
    calls[0]?.settle();
    await flush();
    expect(calls.map((call) => call.key)).toEqual(["ns/a", "ns/a"]);
    calls[1]?.settle();
    await flush();
    expect(calls).toHaveLength(2);
    await queue.shutdown();
  });

  it("processes different keys concurrently up to the configured concurrency", async () => {
    const { calls, process } = controllable();
    const queue = new WorkQueue(process, { name: "concurrency", concurrency: 2 });
    for (const key of ["ns/a", "ns/b", "ns/c"]) queue.add(key);
    queue.start();
    await flush();
    expect(calls.map((call) => call.key)).toEqual(["ns/a", "ns/b"]);
    calls[0]?.settle();
    await flush();
    expect(calls.map((call) => call.key)).toEqual(["ns/a", "ns/b", "ns/c"]);
    for (const call of calls.slice(1)) call.settle();
    await queue.shutdown();
  });

  it("retries a failing key with per-key exponential backoff and resets it after a success", async () => {
    const attempts: number[] = [];
    let failuresLeft = 3;
    const queue = new WorkQueue(
      async () => {
        attempts.push(Date.now());
        if (failuresLeft-- > 0) throw new Error("transient");
        return {};
      },
      { name: "backoff", backoff: { baseMs: 100, capMs: 250 } },
    );
    const start = Date.now();
    queue.start();
    queue.add("ns/a");
    await flush();
    expect(queue.failuresOf("ns/a")).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 100 ms
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200); // 200 ms
    expect(attempts).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(250); // 400 ms capped at 250 ms
    expect(attempts.map((at) => at - start)).toEqual([0, 100, 300, 550]);
    expect(queue.failuresOf("ns/a")).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempts).toHaveLength(4);
    await queue.shutdown();
  });

  it("keeps backoff separate per key", async () => {
    const attempts: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        attempts.push(key);
        if (key === "ns/bad") throw new Error("always");
        return {};
      },
      { name: "per-key", backoff: { baseMs: 1_000, capMs: 10_000 } },
    );
    queue.start();
    queue.add("ns/bad");
    queue.add("ns/good");
    await flush();
    queue.add("ns/good");
    await flush();
    expect(attempts).toEqual(["ns/bad", "ns/good", "ns/good"]);
    expect(queue.failuresOf("ns/good")).toBe(0);
    expect(queue.failuresOf("ns/bad")).toBe(1);
    await queue.shutdown();
  });

  it("processes a key again after requeueAfter", async () => {
    const attempts: number[] = [];
    const queue = new WorkQueue(
      async () => {
        attempts.push(Date.now());
        return attempts.length < 3 ? { requeueAfter: 5_000 } : {};
      },
      { name: "requeue" },
    );
    const start = Date.now();
    queue.start();
    queue.add("ns/a");
    await vi.advanceTimersByTimeAsync(20_000);
    expect(attempts.map((at) => at - start)).toEqual([0, 5_000, 10_000]);
    await queue.shutdown();
  });

  it("keeps the earlier of two schedules of one key", async () => {
    const attempts: number[] = [];
    const queue = new WorkQueue(
      async () => {
        attempts.push(Date.now());
        return {};
      },
      { name: "schedules" },
    );
    const start = Date.now();
    queue.start();
    queue.addAfter("ns/a", 3_000);
    queue.addAfter("ns/a", 1_000);
    queue.addAfter("ns/a", 2_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempts.map((at) => at - start)).toEqual([1_000]);
    await queue.shutdown();
  });

  it("waits the whole of a delay longer than Node's longest timer (24.8 days)", async () => {
    const attempts: number[] = [];
    const queue = new WorkQueue(
      async () => {
        attempts.push(Date.now());
        return {};
      },
      { name: "long-delay" },
    );
    const start = Date.now();
    const thirtyDays = 30 * 86_400_000;
    queue.start();
    queue.addAfter("ns/a", thirtyDays);
    await vi.advanceTimersByTimeAsync(thirtyDays - 1);
    expect(attempts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.map((at) => at - start)).toEqual([thirtyDays]);
    await queue.shutdown();
  });

  it("does not process before start", async () => {
    const seen: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        seen.push(key);
        return {};
      },
      { name: "not-started" },
    );
    queue.add("ns/a");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toEqual([]);
    queue.start();
    await flush();
    expect(seen).toEqual(["ns/a"]);
    await queue.shutdown();
  });

  it("on shutdown stops accepting keys, cancels schedules, drops waiting keys and waits for those in flight", async () => {
    const { calls, process } = controllable();
    const queue = new WorkQueue(process, { name: "shutdown" });
    queue.start();
    queue.add("ns/a");
    queue.add("ns/b");
    queue.addAfter("ns/c", 1_000);
    await flush();
    let finished = false;
    const done = queue.shutdown().then(() => {
      finished = true;
    });
    queue.add("ns/d");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(finished).toBe(false);
    calls[0]?.settle(new Error("fails during shutdown: no retry is scheduled"));
    await done;
    expect(finished).toBe(true);
    expect(calls.map((call) => call.key)).toEqual(["ns/a"]);
    expect(() => queue.start()).toThrow(/shut down/);
  });

  it("reports its depth", async () => {
    const depths: number[] = [];
    const queue = new WorkQueue(async () => ({}), {
      name: "depth",
      onDepthChange: (depth) => depths.push(depth),
    });
    queue.add("ns/a");
    queue.add("ns/b");
    queue.start();
    await flush();
    expect(depths).toEqual([1, 2, 1, 0]);
    await queue.shutdown();
  });
});
