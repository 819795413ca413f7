import type { AlertContext } from "@kubernaut/crds";
import type { InvestigationFindings } from "./findings.js";

/** A container's state as the kubelet last reported it. */
export interface ContainerObservation {
  name: string;
  ready: boolean;
  restartCount: number;
  /** `state.waiting.reason`, e.g. CrashLoopBackOff, ImagePullBackOff. */
  waitingReason?: string;
  /** `state.terminated.reason` of a container that is down now. */
  terminatedReason?: string;
  /** `lastState.terminated.reason`, e.g. OOMKilled. */
  lastTerminatedReason?: string;
  lastExitCode?: number;
  image?: string;
  memoryLimit?: string;
  cpuLimit?: string;
}

export interface PodObservation {
  name: string;
  namespace: string;
  phase?: string;
  nodeName?: string;
  containers: ContainerObservation[];
}

export interface NodeObservation {
  name: string;
  unschedulable: boolean;
  /** Node conditions whose status is "True" (Ready is listed as "NotReady" when it is not True). */
  problems: string[];
}

/** A workload that owns the target pod, e.g. the Deployment behind its ReplicaSet. */
export interface WorkloadReference {
  kind: string;
  name: string;
  namespace: string;
}

export interface EventObservation {
  type: string;
  reason: string;
  message: string;
}

/** What the controller read from the cluster about the signal's target when the investigation started. */
export interface ClusterObservations {
  pod?: PodObservation;
  node?: NodeObservation;
  workload?: WorkloadReference;
  events: EventObservation[];
}

/** A past investigation the storage service found similar to this one. */
export interface SimilarInvestigation {
  alertFingerprint: string;
  rootCause: string | null;
  similarity: number;
  environment: string | null;
  excerpt: string;
}

export interface InvestigationRequest {
  alert: AlertContext;
  cluster: ClusterObservations;
  similar: SimilarInvestigation[];
}

/** Investigates one signal. Implementations: the rule-based default and an OpenAI-compatible chat model. */
export interface InvestigationProvider {
  /** Names the provider in status, metrics and audit (`rules`, `openai`). */
  readonly name: string;
  investigate(request: InvestigationRequest, signal: AbortSignal): Promise<InvestigationFindings>;
}

/**
 * The symptoms of a signal as text: what past investigations are searched by and stored under, so that
 * recurrences of the same problem land close together in embedding space.
 */
export function describeSymptoms(request: Pick<InvestigationRequest, "alert" | "cluster">): string {
  const { alert, cluster } = request;
  const target = alert.targetResource;
  const lines = [
    `signal ${alert.signalName} (${alert.severity}) in ${alert.environment}`,
    `target ${target.kind} ${target.namespace ? `${target.namespace}/` : ""}${target.name}`,
  ];
  for (const c of cluster.pod?.containers ?? []) {
    const states = [
      c.waitingReason,
      c.terminatedReason,
      c.lastTerminatedReason && `last ${c.lastTerminatedReason}`,
    ];
    lines.push(`container ${c.name}: restarts ${c.restartCount} ${states.filter(Boolean).join(" ")}`.trim());
  }
  if (cluster.node && cluster.node.problems.length > 0) {
    lines.push(`node ${cluster.node.name}: ${cluster.node.problems.join(" ")}`);
  }
  for (const e of cluster.events.slice(0, 5)) lines.push(`event ${e.reason}: ${e.message}`);
  if (alert.enrichmentSummary?.summary) lines.push(alert.enrichmentSummary.summary);
  return lines.join("\n");
}
