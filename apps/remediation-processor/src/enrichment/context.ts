/** The context sources the processor knows how to query in the cluster. */
export const CONTEXT_SOURCES = ["namespace", "workload", "pods", "events"] as const;
export type ContextSourceName = (typeof CONTEXT_SOURCES)[number];

/** A source that answered, or why it did not. */
export type SourceOutcome = { ok: true } | { ok: false; reason: string };

export interface NamespaceContext {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerResources {
  name: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface WorkloadContext {
  kind: string;
  name: string;
  labels: Record<string, string>;
  replicas?: number;
  readyReplicas?: number;
  containers: ContainerResources[];
  /** What a cluster-scoped target reports of itself, a line each (a Node's conditions, capacity, taints). */
  facts?: string[];
}

export interface ContainerStatusContext {
  name: string;
  ready: boolean;
  restartCount: number;
  /** `Running`, or the reason it is waiting or terminated (`CrashLoopBackOff`, `OOMKilled`). */
  state: string;
  lastTerminationReason?: string;
  lastExitCode?: number;
}

export interface PodContext {
  name: string;
  phase: string;
  containers: ContainerStatusContext[];
}

export interface EventContext {
  type: string;
  reason: string;
  message: string;
  count: number;
  involvedObject: string;
  lastSeen?: string;
}

/**
 * What enrichment found out about a signal's target. Only sources that answered fill their part;
 * `outcomes` records every source that was asked.
 */
export interface SignalContext {
  namespace?: NamespaceContext;
  workload?: WorkloadContext;
  pods?: PodContext[];
  events?: EventContext[];
  /** Every source asked, by name, with whether it answered. */
  outcomes: Partial<Record<string, SourceOutcome>>;
}

/**
 * The sources to ask: the spec's list, or all of them. `kubernetes` stands for every cluster source;
 * any other name is kept, so that asking for a source the processor cannot read shows as degraded context.
 */
export function requestedSources(fromSpec: readonly string[] | undefined): string[] {
  if (!fromSpec || fromSpec.length === 0) return [...CONTEXT_SOURCES];
  const names = fromSpec.flatMap((name) => (name === "kubernetes" ? [...CONTEXT_SOURCES] : [name]));
  return [...new Set(names)];
}

export function isKnownSource(name: string): name is ContextSourceName {
  return (CONTEXT_SOURCES as readonly string[]).includes(name);
}
