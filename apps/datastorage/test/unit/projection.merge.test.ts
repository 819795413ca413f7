import { describe, expect, it } from "vitest";
import { mergeByKey, type ProjectionRow, type ProjectionSpec } from "../../src/write/projection.js";

const spec: ProjectionSpec = {
  table: "t",
  key: ["name"],
  columns: [
    { name: "name", type: "text" },
    { name: "phase", type: "text" },
    { name: "reason", type: "text" },
  ],
};

const row = (at: number, values: Record<string, unknown>): ProjectionRow => ({
  values,
  occurredAt: at,
  occurredAtText: new Date(at).toISOString(),
});

describe("mergeByKey", () => {
  it("folds rows of one key oldest first: newer non-null values win, older ones only fill nulls", () => {
    const merged = mergeByKey(spec, [
      row(3000, { name: "a", phase: "completed", reason: null }),
      row(1000, { name: "a", phase: "pending", reason: "first" }),
      row(2000, { name: "b", phase: "processing", reason: null }),
      row(2000, { name: "a", phase: "processing", reason: null }),
    ]);
    expect(merged).toHaveLength(2);
    const a = merged.find((r) => r.values.name === "a");
    expect(a?.values).toEqual({ name: "a", phase: "completed", reason: "first" });
    expect(a?.occurredAt).toBe(3000);
    expect(merged.find((r) => r.values.name === "b")?.values.phase).toBe("processing");
  });

  it("breaks a tie in arrival order: the later record is the newer", () => {
    const [merged] = mergeByKey(spec, [
      row(1000, { name: "a", phase: "first" }),
      row(1000, { name: "a", phase: "second" }),
    ]);
    expect(merged?.values.phase).toBe("second");
  });
});
