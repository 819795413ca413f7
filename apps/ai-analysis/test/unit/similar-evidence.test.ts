import { describe, expect, it } from "vitest";
import type { InvestigationFindings } from "../../src/investigation/findings.js";
import { withSimilarInvestigations } from "../../src/investigation/similar-evidence.js";

const findings: InvestigationFindings = {
  rootCauseHypotheses: [
    { hypothesis: "application exits on start-up", confidence: 0.8, evidence: ["a"] },
    { hypothesis: "memory limit too low", confidence: 0.78, evidence: ["b"] },
  ],
  investigationReport: "Report.",
  recommendations: [],
};

describe("similar past investigations", () => {
  it("leaves findings untouched when there are none", () => {
    expect(withSimilarInvestigations(findings, [])).toBe(findings);
  });

  it("boosts the hypothesis close past investigations share, and lists them all in the report", () => {
    const result = withSimilarInvestigations(findings, [
      {
        alertFingerprint: "fp-1",
        rootCause: "Memory limit too low",
        similarity: 0.9,
        environment: "production",
        excerpt: "",
      },
      {
        alertFingerprint: "fp-2",
        rootCause: "memory limit too low",
        similarity: 0.8,
        environment: "production",
        excerpt: "",
      },
      {
        alertFingerprint: "fp-3",
        rootCause: "application exits on start-up",
        similarity: 0.5,
        environment: null,
        excerpt: "",
      },
    ]);
    expect(result.rootCauseHypotheses.map((h) => [h.hypothesis, h.confidence])).toEqual([
      ["memory limit too low", 0.87],
      ["application exits on start-up", 0.8],
    ]);
    expect(result.rootCauseHypotheses[0]?.evidence).toContain(
      "similar past investigation of fp-1 (similarity 0.90) found the same root cause",
    );
    expect(result.investigationReport).toContain("Similar past investigations:");
    expect(result.investigationReport).toContain("- fp-3 (similarity 0.50): application exits on start-up");
  });
});
