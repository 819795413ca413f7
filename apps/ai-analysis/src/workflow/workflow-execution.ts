import { createHash } from "node:crypto";
import {
  type AIAnalysis,
  aiAnalysisKind,
  type Recommendation,
  type WorkflowExecution,
  workflowExecutionKind,
} from "@kubernaut/crds";

const MAX_NAME = 253;
const SUFFIX = "-workflow";

/**
 * One WorkflowExecution per AIAnalysis, named after it, so a reconcile that runs again after a crash finds
 * the one it already created instead of making a second. Over-long names are cut and made unique by a hash.
 */
export function workflowExecutionName(analysisName: string): string {
  const name = `${analysisName}${SUFFIX}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash("sha256").update(analysisName).digest("hex").slice(0, 8);
  const head = analysisName.slice(0, MAX_NAME - SUFFIX.length - hash.length - 1).replace(/[-.]+$/, "");
  return `${head}-${hash}${SUFFIX}`;
}

/** The WorkflowExecution that hands the top recommendation to the workflow engine, owned by the analysis. */
export function workflowExecutionFor(analysis: AIAnalysis, top: Recommendation): WorkflowExecution {
  const name = analysis.metadata.name ?? "";
  const namespace = analysis.metadata.namespace ?? "";
  const uid = analysis.metadata.uid;
  if (!uid) throw new Error(`AIAnalysis ${namespace}/${name} has no uid to own its WorkflowExecution`);
  if (!top.targetResource) throw new Error(`recommendation ${top.action} has no target resource`);
  const spec: WorkflowExecution["spec"] = {
    remediationRequestRef: analysis.spec.remediationRequestRef,
    aiAnalysisRef: { name, namespace },
    action: top.action,
    targetResource: top.targetResource,
  };
  if (top.parameters && Object.keys(top.parameters).length > 0) spec.parameters = top.parameters;
  return {
    apiVersion: workflowExecutionKind.apiVersion,
    kind: workflowExecutionKind.kind,
    metadata: {
      name: workflowExecutionName(name),
      namespace,
      labels: { "app.kubernetes.io/managed-by": "kubernaut-ai-analysis" },
      ownerReferences: [
        {
          apiVersion: aiAnalysisKind.apiVersion,
          kind: aiAnalysisKind.kind,
          name,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}

export function isControlledBy(workflow: WorkflowExecution, analysis: AIAnalysis): boolean {
  return (workflow.metadata.ownerReferences ?? []).some(
    (o) => o.controller && o.uid === analysis.metadata.uid,
  );
}

/**
 * When a WorkflowExecution from an earlier attempt already exists, its action is what will run: it is put
 * first so status and audit never name a different top recommendation than the one executing.
 */
export function alignWithWorkflow(
  ranked: readonly Recommendation[],
  workflow: WorkflowExecution,
): Recommendation[] {
  const index = ranked.findIndex((r) => r.action === workflow.spec.action);
  if (index <= 0) return [...ranked];
  const reordered = [ranked[index] as Recommendation, ...ranked.slice(0, index), ...ranked.slice(index + 1)];
  return reordered.map((r, i) => ({ ...r, rank: i + 1 }));
}
