import type { RecommendedAction, RootCauseFinding } from "../findings.js";
import type { InvestigationRequest } from "../request.js";
import { crashLoop, highCpu, highMemory, imagePull, oomKilled } from "./container-rules.js";
import { diskPressure, nodeNotReady } from "./node-rules.js";

export interface RuleDiagnosis {
  rootCause: RootCauseFinding;
  recommendations: RecommendedAction[];
}

/** One known failure pattern: it diagnoses the signal when its evidence is present, else answers undefined. */
export interface InvestigationRule {
  readonly name: string;
  diagnose(request: InvestigationRequest): RuleDiagnosis | undefined;
}

/** The known failure patterns, most specific first. */
export const INVESTIGATION_RULES: readonly InvestigationRule[] = [
  oomKilled,
  crashLoop,
  imagePull,
  diskPressure,
  nodeNotReady,
  highMemory,
  highCpu,
];
