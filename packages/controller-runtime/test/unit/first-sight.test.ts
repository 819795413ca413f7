import { describe, expect, it } from "vitest";
import { FirstSight } from "../../src/index.js";

const object = (uid: string) => ({ metadata: { namespace: "ns", name: "a", uid } });
const at = new Date("2026-12-01T12:00:00Z");

describe("FirstSight", () => {
  it("is due once per object and again for a new object under the same name", () => {
    const sight = new FirstSight({ now: () => at });
    expect(sight.take(object("u1"))).toBe(true);
    expect(sight.take(object("u1"))).toBe(false);
    expect(sight.take(object("u2"))).toBe(true);
  });

  it("is due again after forget", () => {
    const sight = new FirstSight({ now: () => at });
    sight.take(object("u1"));
    sight.forget({ namespace: "ns", name: "a" });
    expect(sight.take(object("u1"))).toBe(true);
  });

  it("leaves alone an object that finished before the window", () => {
    const sight = new FirstSight({ windowMs: 60_000, now: () => at });
    expect(sight.take(object("old"), "2026-12-01T11:58:59Z")).toBe(false);
    expect(sight.take(object("recent"), "2026-12-01T11:59:30Z")).toBe(true);
    expect(sight.take(object("unparsable"), "")).toBe(true);
  });
});
