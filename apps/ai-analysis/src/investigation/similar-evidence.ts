import type { InvestigationFindings } from "./findings.js";
import type { SimilarInvestigation } from "./request.js";

/** Below this cosine similarity a past investigation is listed in the report but supports nothing. */
export const SUPPORTING_SIMILARITY = 0.75;
/** The most a hypothesis gains from one supporting past investigation (scaled by similarity). */
const BOOST_PER_MATCH = 0.05;
const MAX_CONFIDENCE = 0.99;

const normalise = (text: string) => text.trim().toLowerCase();

/**
 * Folds past investigations into new findings: a hypothesis that similar past signals were also traced to
 * gains confidence and a line of evidence, and the report lists what was found. Recurring problems are
 * diagnosed with more certainty than novel ones.
 */
export function withSimilarInvestigations(
  findings: InvestigationFindings,
  similar: readonly SimilarInvestigation[],
): InvestigationFindings {
  if (similar.length === 0) return findings;
  const rootCauseHypotheses = findings.rootCauseHypotheses
    .map((h) => {
      const supporting = similar.filter(
        (s) =>
          s.similarity >= SUPPORTING_SIMILARITY &&
          s.rootCause !== null &&
          normalise(s.rootCause) === normalise(h.hypothesis),
      );
      if (supporting.length === 0) return h;
      const boost = supporting.reduce((sum, s) => sum + BOOST_PER_MATCH * s.similarity, 0);
      return {
        ...h,
        confidence: round2(Math.min(MAX_CONFIDENCE, h.confidence + boost)),
        evidence: [
          ...h.evidence,
          ...supporting.map(
            (s) =>
              `similar past investigation of ${s.alertFingerprint} (similarity ${s.similarity.toFixed(2)}) found the same root cause`,
          ),
        ],
      };
    })
    .sort((a, b) => b.confidence - a.confidence);

  const lines = ["", "Similar past investigations:"];
  for (const s of similar) {
    lines.push(
      `- ${s.alertFingerprint} (similarity ${s.similarity.toFixed(2)}): ${s.rootCause ?? "root cause not recorded"}`,
    );
  }
  return {
    ...findings,
    rootCauseHypotheses,
    investigationReport: `${findings.investigationReport}\n${lines.join("\n")}`,
  };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
