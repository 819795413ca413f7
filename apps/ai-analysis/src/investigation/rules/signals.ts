import type { RecommendedAction, RecommendedTarget } from "../findings.js";
import type { ContainerObservation, InvestigationRequest } from "../request.js";

/**
 * What the alert itself says: its name plus the label and annotation values (alertname, reason, summary),
 * lower-cased, for rules that match on the reported symptom when the cluster state shows nothing.
 */
export function reportedText(request: InvestigationRequest): string {
  const { signalName, labels, annotations } = request.alert;
  return [signalName, ...Object.values(labels ?? {}), ...Object.values(annotations ?? {})]
    .join(" ")
    .toLowerCase();
}

export function containers(request: InvestigationRequest): ContainerObservation[] {
  return request.cluster.pod?.containers ?? [];
}

export function eventsWithReason(request: InvestigationRequest, reasons: readonly string[]): string[] {
  return request.cluster.events
    .filter((e) => reasons.includes(e.reason))
    .map((e) => `event ${e.reason}: ${e.message}`);
}

/** The pod the signal is about: the observed one, else the alert's target when it is a Pod. */
export function podTarget(request: InvestigationRequest): RecommendedTarget | undefined {
  const pod = request.cluster.pod;
  if (pod) return { kind: "Pod", name: pod.name, namespace: pod.namespace };
  const target = request.alert.targetResource;
  if (target.kind === "Pod") return { kind: "Pod", name: target.name, namespace: target.namespace ?? null };
  return undefined;
}

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"];

/** Where a container setting is changed: the pod's owning workload, else the target itself. */
export function workloadTarget(request: InvestigationRequest): RecommendedTarget | undefined {
  const workload = request.cluster.workload;
  if (workload) return { kind: workload.kind, name: workload.name, namespace: workload.namespace };
  const target = request.alert.targetResource;
  if (WORKLOAD_KINDS.includes(target.kind)) {
    return { kind: target.kind, name: target.name, namespace: target.namespace ?? null };
  }
  return podTarget(request);
}

export function deploymentTarget(request: InvestigationRequest): RecommendedTarget | undefined {
  const workload = workloadTarget(request);
  return workload?.kind === "Deployment" ? workload : undefined;
}

export function scalableTarget(request: InvestigationRequest): RecommendedTarget | undefined {
  const workload = workloadTarget(request);
  return workload && ["Deployment", "StatefulSet"].includes(workload.kind) ? workload : undefined;
}

export function nodeTarget(request: InvestigationRequest): RecommendedTarget | undefined {
  const name =
    request.cluster.node?.name ??
    (request.alert.targetResource.kind === "Node" ? request.alert.targetResource.name : undefined) ??
    request.cluster.pod?.nodeName;
  return name ? { kind: "Node", name, namespace: null } : undefined;
}

/** A recommendation, or nothing when the rule could not name a target for it. */
export function recommend(
  action: string,
  target: RecommendedTarget | undefined,
  effectivenessEstimate: number,
  rationale: string,
  parameters: Record<string, string> = {},
): RecommendedAction[] {
  return target ? [{ action, targetResource: target, effectivenessEstimate, rationale, parameters }] : [];
}

/**
 * Evidence seen in the cluster (container states, node conditions, events) is worth more than a symptom that
 * only the alert's name reports.
 */
export function confidenceOf(
  observed: readonly string[],
  observedConfidence: number,
  reportedConfidence: number,
) {
  return observed.length > 0 ? observedConfidence : reportedConfidence;
}
