import type { InvestigationFindings, RecommendedAction, RootCauseFinding } from "../findings.js";
import type { InvestigationProvider, InvestigationRequest } from "../request.js";
import { INVESTIGATION_RULES, type InvestigationRule } from "./rules.js";
import { podTarget, recommend } from "./signals.js";

/**
 * The deterministic default investigator: known failure patterns matched on the signal and on what the
 * controller observed in the cluster. It needs no model, so the platform is useful without one.
 */
export class RuleBasedInvestigationProvider implements InvestigationProvider {
  readonly name = "rules";

  constructor(private readonly rules: readonly InvestigationRule[] = INVESTIGATION_RULES) {}

  async investigate(request: InvestigationRequest): Promise<InvestigationFindings> {
    const diagnoses = this.rules.flatMap((rule) => {
      const diagnosis = rule.diagnose(request);
      return diagnosis ? [diagnosis] : [];
    });
    if (diagnoses.length === 0) return unrecognised(request);

    const rootCauseHypotheses = diagnoses.map((d) => d.rootCause).sort((a, b) => b.confidence - a.confidence);
    const recommendations = uniqueByActionAndTarget(diagnoses.flatMap((d) => d.recommendations)).sort(
      (a, b) => b.effectivenessEstimate - a.effectivenessEstimate,
    );
    return {
      rootCauseHypotheses,
      recommendations,
      investigationReport: report(request, rootCauseHypotheses, recommendations),
    };
  }
}

/** No pattern matched: say so with low confidence, and offer only the one generic action a pod allows. */
function unrecognised(request: InvestigationRequest): InvestigationFindings {
  const rootCauseHypotheses: RootCauseFinding[] = [
    {
      hypothesis: `no known failure pattern matches signal ${request.alert.signalName}`,
      confidence: 0.2,
      evidence: [`target ${request.alert.targetResource.kind} ${request.alert.targetResource.name}`],
    },
  ];
  const recommendations = recommend(
    "restart-pod",
    podTarget(request),
    0.25,
    "A restart is the only generic action for an unrecognised pod failure.",
  );
  return {
    rootCauseHypotheses,
    recommendations,
    investigationReport: report(request, rootCauseHypotheses, recommendations),
  };
}

/** Two rules may suggest the same action on the same object; the first (higher-confidence rule) wins. */
function uniqueByActionAndTarget(recommendations: RecommendedAction[]): RecommendedAction[] {
  const seen = new Set<string>();
  return recommendations.filter((r) => {
    const key = `${r.action}/${r.targetResource.kind}/${r.targetResource.namespace ?? ""}/${r.targetResource.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function report(
  request: InvestigationRequest,
  hypotheses: readonly RootCauseFinding[],
  recommendations: readonly RecommendedAction[],
): string {
  const { alert } = request;
  const target = alert.targetResource;
  const lines = [
    `Signal ${alert.signalName} (${alert.severity}) on ${target.kind} ${target.namespace ? `${target.namespace}/` : ""}${target.name} in ${alert.environment}.`,
    "",
    "Root cause hypotheses:",
  ];
  for (const h of hypotheses) {
    lines.push(`- ${h.hypothesis} (confidence ${h.confidence.toFixed(2)})`);
    for (const e of h.evidence) lines.push(`  - ${e}`);
  }
  lines.push("", "Recommended actions:");
  if (recommendations.length === 0) lines.push("- none");
  for (const r of recommendations) {
    const t = r.targetResource;
    lines.push(
      `- ${r.action} on ${t.kind} ${t.namespace ? `${t.namespace}/` : ""}${t.name} (estimate ${r.effectivenessEstimate.toFixed(2)}): ${r.rationale}`,
    );
  }
  return lines.join("\n");
}
