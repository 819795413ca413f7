import { describe, expect, it } from "vitest";
import { getCondition, isConditionTrue, removeCondition, setCondition } from "../../src/index.js";

const t1 = new Date("2025-01-01T00:00:00Z");
const t2 = new Date("2025-01-01T00:05:00Z");

describe("conditions", () => {
  it("adds a condition stamped with the transition time", () => {
    const conditions = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", message: "" },
      t1,
    );
    expect(conditions).toEqual([
      {
        type: "Ready",
        status: "False",
        reason: "Pending",
        message: "",
        lastTransitionTime: t1.toISOString(),
      },
    ]);
  });

  it("keeps lastTransitionTime while the status stays, and moves it when the status changes", () => {
    const first = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", message: "" },
      t1,
    );
    const same = setCondition(
      first,
      { type: "Ready", status: "False", reason: "Waiting", message: "still" },
      t2,
    );
    expect(same[0]).toMatchObject({
      reason: "Waiting",
      message: "still",
      lastTransitionTime: t1.toISOString(),
    });
    const flipped = setCondition(same, { type: "Ready", status: "True", reason: "Done", message: "" }, t2);
    expect(flipped[0]?.lastTransitionTime).toBe(t2.toISOString());
    expect(first[0]?.reason).toBe("Pending"); // inputs are not mutated
  });

  it("sets one type without touching the others, and reads and removes them", () => {
    let conditions = setCondition(undefined, { type: "Ready", status: "True", reason: "A", message: "" }, t1);
    conditions = setCondition(
      conditions,
      { type: "AuditRecorded", status: "False", reason: "B", message: "" },
      t1,
    );
    conditions = setCondition(conditions, { type: "Ready", status: "False", reason: "C", message: "" }, t2);
    expect(conditions.map((condition) => condition.type)).toEqual(["Ready", "AuditRecorded"]);
    expect(getCondition(conditions, "Ready")?.reason).toBe("C");
    expect(isConditionTrue(conditions, "Ready")).toBe(false);
    expect(isConditionTrue(conditions, "Missing")).toBe(false);
    expect(removeCondition(conditions, "Ready").map((condition) => condition.type)).toEqual([
      "AuditRecorded",
    ]);
  });
});
