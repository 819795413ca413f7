import type { AIAnalysis, RemediationProcessing, WorkflowExecution } from "@kubernaut/crds";
import type { CRDStatusSnapshot, ServiceCRDStatuses } from "@kubernaut/schema/contracts";

/** The children of one RemediationRequest, as far as they exist. */
export interface Children {
  processing?: RemediationProcessing;
  analysis?: AIAnalysis;
  workflow?: WorkflowExecution;
}

type Child = RemediationProcessing | AIAnalysis | WorkflowExecution;

/** Seed 003's `collectCRDStatuses`: each child's phase, start, completion and error, camelCase as Go marshals. */
export function collectCRDStatuses(children: Children): ServiceCRDStatuses {
  const statuses: ServiceCRDStatuses = {};
  if (children.processing) {
    statuses.remediationProcessing = snapshot(children.processing, children.processing.status?.errorMessage);
  }
  if (children.analysis)
    statuses.aiAnalysis = snapshot(children.analysis, children.analysis.status?.failureReason);
  if (children.workflow) {
    const failed = children.workflow.status?.phase === "failed";
    statuses.workflowExecution = snapshot(
      children.workflow,
      failed ? children.workflow.status?.message : undefined,
    );
  }
  return statuses;
}

function snapshot(child: Child, error: string | undefined): CRDStatusSnapshot {
  const phase = child.status?.phase ?? "";
  const out: CRDStatusSnapshot = {
    phase,
    startTime: child.metadata.creationTimestamp ?? null,
    success: phase === "completed",
  };
  if (child.status?.completedAt) out.completionTime = child.status.completedAt;
  if (error) out.error = error;
  return out;
}
