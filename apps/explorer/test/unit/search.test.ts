import { AIAnalysisAuditEvent } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { STATUS_VALUES } from "../../src/views/search.js";

describe("status suggestions", () => {
  it("offers an AI analysis' completion_status values, which the ai-analysis list filters on", () => {
    const completion = AIAnalysisAuditEvent.shape.completion_status.unwrap().unwrap();
    expect(STATUS_VALUES["ai-analysis"]).toEqual(completion.options);
  });
});
