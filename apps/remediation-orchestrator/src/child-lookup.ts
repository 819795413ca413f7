import type {
  AIAnalysis,
  RemediationProcessing,
  RemediationRequest,
  WorkflowExecution,
} from "@kubernaut/crds";
import { analysisName, processingName } from "./children.js";
import type { Children } from "./snapshots.js";

/** Reads of the informer caches the orchestrator needs; `list(namespace)` of one kind. */
export interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
  list(namespace?: string): T[];
}

export interface ChildCaches {
  processings: Cache<RemediationProcessing>;
  analyses: Cache<AIAnalysis>;
  workflows: Cache<WorkflowExecution>;
}

/**
 * The children of a request as the caches hold them: its RemediationProcessing and AIAnalysis by their
 * deterministic names, and the WorkflowExecution that AI analysis created (named in either status, or
 * else found by its `spec.remediationRequestRef`).
 */
export function lookupChildren(rr: RemediationRequest, caches: ChildCaches): Children {
  const ns = rr.metadata.namespace ?? "";
  const children: Children = {};
  const processing = caches.processings.get(ns, processingName(rr));
  if (processing) children.processing = processing;
  const analysis = caches.analyses.get(ns, analysisName(rr));
  if (analysis) children.analysis = analysis;
  const ref = rr.status?.workflowExecutionRef ?? analysis?.status?.workflowExecutionRef;
  const workflow = ref
    ? caches.workflows.get(ref.namespace, ref.name)
    : caches.workflows.list(ns).find((w) => w.spec.remediationRequestRef.name === rr.metadata.name);
  if (workflow) children.workflow = workflow;
  return children;
}
