import { describe, expect, it } from "vitest";
import { failureReason } from "../../src/index.js";

describe("failureReason", () => {
  it("names the cause of a failed fetch by its code, and falls back to the message", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8085"), { code: "ECONNREFUSED" });
    expect(failureReason(new TypeError("fetch failed", { cause: refused }))).toBe(
      "ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:8085)",
    );
    expect(failureReason(new Error("outer", { cause: new Error("inner") }))).toBe("inner");
    expect(failureReason(new Error("plain"))).toBe("plain");
    expect(failureReason("text")).toBe("text");
  });
});
