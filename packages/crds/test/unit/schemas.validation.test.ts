import { describe, expect, it } from "vitest";
import {
  aiAnalysisSchema,
  remediationProcessingSchema,
  remediationRequestSchema,
  workflowExecutionSchema,
} from "../../src/index.js";
import {
  fullAIAnalysis,
  fullRemediationProcessing,
  fullRemediationRequest,
  fullWorkflowExecution,
} from "../fixtures.js";

describe("zod schemas of the four kinds", () => {
  it("accept fully populated objects unchanged", () => {
    for (const [schema, object] of [
      [remediationRequestSchema, fullRemediationRequest("ns")],
      [remediationProcessingSchema, fullRemediationProcessing("ns")],
      [aiAnalysisSchema, fullAIAnalysis("ns")],
      [workflowExecutionSchema, fullWorkflowExecution("ns")],
    ] as const) {
      expect(schema.parse(object)).toEqual(object);
    }
  });

  it("name the field of a bad value", () => {
    const request = fullRemediationRequest("ns");
    const bad = { ...request, spec: { ...request.spec, severity: "urgent" } };
    const result = remediationRequestSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["spec", "severity"]);
  });

  it("reject a confidence above 1, a non-RFC 3339 time and a malformed duration", () => {
    const analysis = fullAIAnalysis("ns");
    expect(aiAnalysisSchema.safeParse({ ...analysis, status: { confidenceScore: 1.2 } }).success).toBe(false);
    const request = fullRemediationRequest("ns");
    expect(
      remediationRequestSchema.safeParse({ ...request, spec: { ...request.spec, firingTime: "15/01/2025" } })
        .success,
    ).toBe(false);
    expect(
      remediationRequestSchema.safeParse({
        ...request,
        spec: { ...request.spec, timeouts: { overall: "5 minutes" } },
      }).success,
    ).toBe(false);
  });
});
