import { aiAnalysisKind } from "./ai-analysis.js";
import { remediationProcessingKind } from "./remediation-processing.js";
import { remediationRequestKind } from "./remediation-request.js";
import { workflowExecutionKind } from "./workflow-execution.js";

/** The four kinds, for code that wants to address them by role. */
export const kinds = {
  remediationRequest: remediationRequestKind,
  remediationProcessing: remediationProcessingKind,
  aiAnalysis: aiAnalysisKind,
  workflowExecution: workflowExecutionKind,
} as const;

/** Plural resource names, as used in API paths. */
export const plurals = {
  remediationRequest: remediationRequestKind.plural,
  remediationProcessing: remediationProcessingKind.plural,
  aiAnalysis: aiAnalysisKind.plural,
  workflowExecution: workflowExecutionKind.plural,
} as const;
