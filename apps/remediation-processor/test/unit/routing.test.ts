import { describe, expect, it } from "vitest";
import { route, routingKey } from "../../src/routing.js";

describe("route", () => {
  it("sends every signal to ai-analysis with the P-number as priority", () => {
    expect(route({ environment: "production", businessPriority: "P0", fingerprint: "fp-1" })).toEqual({
      routedToService: "ai-analysis",
      routingPriority: 0,
      routingKey: "production.P0.fp-1",
    });
    expect(
      route({ environment: "staging", businessPriority: "P2", fingerprint: "fp-2" }).routingPriority,
    ).toBe(2);
  });

  it("gives an unrecognised business priority the lowest routing priority", () => {
    expect(route({ environment: "x", businessPriority: "urgent", fingerprint: "f" }).routingPriority).toBe(3);
  });

  it("builds the key as environment.priority.fingerprint", () => {
    expect(routingKey("development", "P3", "abc")).toBe("development.P3.abc");
  });
});
