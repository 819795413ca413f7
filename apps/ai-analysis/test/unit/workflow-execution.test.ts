import { describe, expect, it } from "vitest";
import { alignWithWorkflow, workflowExecutionName } from "../../src/workflow/workflow-execution.js";

describe("WorkflowExecution naming and adoption", () => {
  it("names the WorkflowExecution after its AIAnalysis, within the 253-character limit", () => {
    expect(workflowExecutionName("checkout-oom")).toBe("checkout-oom-workflow");
    const long = "a".repeat(250);
    const name = workflowExecutionName(long);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^a+-[0-9a-f]{8}-workflow$/);
    expect(workflowExecutionName(long)).toBe(name);
    expect(workflowExecutionName(`${"a".repeat(249)}b`)).not.toBe(name);
  });

  it("puts the action of an existing WorkflowExecution first and re-ranks", () => {
    const ranked = [
      { action: "restart-pod", effectivenessProbability: 0.7, rank: 1 },
      { action: "increase-memory-limit", effectivenessProbability: 0.6, rank: 2 },
    ];
    const workflow = { spec: { action: "increase-memory-limit" } } as Parameters<typeof alignWithWorkflow>[1];
    expect(alignWithWorkflow(ranked, workflow).map((r) => [r.action, r.rank])).toEqual([
      ["increase-memory-limit", 1],
      ["restart-pod", 2],
    ]);
  });
});
