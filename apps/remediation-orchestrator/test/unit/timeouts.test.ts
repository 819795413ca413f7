import { describe, expect, it } from "vitest";
import { childName } from "../../src/children.js";
import { deadlines, hasTimedOut, timeoutMs, untilNextDeadline } from "../../src/timeouts.js";
import { at, request, settings, T0 } from "./fixtures.js";

describe("timeouts", () => {
  it("uses the orchestrator's defaults unless the spec overrides them", () => {
    const rr = request();
    expect(timeoutMs(rr, "analyzing", settings)).toBe(120_000);
    rr.spec.timeouts = { analyzing: "1m30s", overall: "2h" };
    expect(timeoutMs(rr, "analyzing", settings)).toBe(90_000);
    expect(timeoutMs(rr, "overall", settings)).toBe(7_200_000);
  });

  it("counts a phase from its entry and the whole from the start", () => {
    const rr = request({
      phase: "analyzing",
      startTime: T0,
      phaseTransitions: { analyzing: at(100).toISOString() },
    });
    const d = deadlines(rr, "analyzing", settings, at(150));
    expect(d).toEqual({ phase: at(220).getTime(), overall: at(600).getTime() });
    expect(untilNextDeadline(d, at(150))).toBe(70_000);
    expect(hasTimedOut(d, at(219))).toBe(false);
    expect(hasTimedOut(d, at(220))).toBe(true);
  });

  it("gives pending only the overall deadline", () => {
    expect(deadlines(request({ phase: "pending", startTime: T0 }), "pending", settings, at(1))).toEqual({
      overall: at(600).getTime(),
    });
  });
});

describe("childName", () => {
  it("is <rr>-<suffix>, shortened with a hash when too long", () => {
    expect(childName("rr-1", "processing")).toBe("rr-1-processing");
    const long = childName("x".repeat(250), "processing");
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long.endsWith("-processing")).toBe(true);
    expect(childName("x".repeat(250), "processing")).toBe(long);
    expect(childName(`${"x".repeat(249)}y`, "processing")).not.toBe(long);
  });
});
