import { describe, expect, it } from "vitest";
import { deterministicEventId } from "../../src/go-time.js";

describe("deterministicEventId", () => {
  it("is a version 5 UUID that depends only on the name", () => {
    const id = deterministicEventId("uid-1/completed");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId("uid-1/completed")).toBe(id);
    expect(deterministicEventId("uid-1/failed")).not.toBe(id);
  });
});
