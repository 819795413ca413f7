import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../src/ring-buffer.js";

describe("RingBuffer", () => {
  it("is FIFO across wrap-around", () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect(ring.shift()).toBe(1);
    ring.push(3);
    ring.push(4);
    expect(ring.full).toBe(true);
    expect(ring.push(5)).toBe(false);
    expect(ring.toArray()).toEqual([2, 3, 4]);
    expect(ring.take(2)).toEqual([2, 3]);
    ring.push(6);
    expect(ring.peek()).toBe(4);
    expect(ring.drain()).toEqual([4, 6]);
    expect(ring.size).toBe(0);
    expect(ring.shift()).toBeUndefined();
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity must be a positive integer, got 0/);
    expect(() => new RingBuffer(1.5)).toThrow(/got 1.5/);
  });
});
