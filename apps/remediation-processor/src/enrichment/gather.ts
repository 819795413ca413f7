import { type Signal, targetScopeOf } from "@kubernaut/crds";
import type { AppsV1Api, CoreV1Api, CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { isKnownSource, type NamespaceContext, type SignalContext, type WorkloadContext } from "./context.js";
import {
  containerResources,
  eventContext,
  labelSelectorString,
  namespaceFacts,
  nodeFacts,
  persistentVolumeFacts,
  podContext,
  recentEvents,
  templateResources,
} from "./kube-objects.js";

export interface ClusterApis {
  core: CoreV1Api;
  apps: AppsV1Api;
}

/** Pods and events beyond these add size, not insight. */
const MAX_PODS = 5;
const MAX_EVENT_TARGETS = 3;
const MAX_EVENTS = 10;

interface TargetRead {
  workload: WorkloadContext;
  /**
   * The pods of the target: a Pod target is its own pod; a workload's are listed by its selector, a Node's by
   * `spec.nodeName`, a Namespace's are the pods in it.
   */
  pods: () => Promise<V1Pod[]>;
}

/**
 * Reads the signal's target and its surroundings from the cluster. Every source is read independently;
 * one that fails (not found, forbidden, timed out) is recorded with its reason and the others go on.
 */
export async function gatherContext(
  apis: ClusterApis,
  signal: Signal,
  sources: readonly string[],
  timeoutMs: number,
): Promise<SignalContext> {
  const context: SignalContext = { outcomes: {} };
  const target = signal.targetResource;
  const clusterScoped = (signal.targetScope ?? targetScopeOf(target)) === "Cluster";
  // A cluster-scoped target has no namespace of its own; the signal's (the request's) tells its environment.
  const namespace = clusterScoped ? signal.namespace : (target.namespace ?? signal.namespace);
  const asked = (name: string) => sources.includes(name);
  const record = async (name: string, read: () => Promise<void>) => {
    try {
      await withTimeout(read(), timeoutMs, name);
      context.outcomes[name] = { ok: true };
    } catch (error) {
      context.outcomes[name] = { ok: false, reason: describeError(error) };
    }
  };
  // Outcomes keep the order the sources were asked in, whichever answers first.
  for (const name of sources) {
    context.outcomes[name] = {
      ok: false,
      reason: isKnownSource(name) ? "not read" : "no reader for this source",
    };
  }
  if (namespace === undefined && !clusterScoped) {
    for (const name of sources.filter(isKnownSource)) {
      context.outcomes[name] = { ok: false, reason: "the signal names no namespace" };
    }
    return context;
  }

  let targetRead: Promise<TargetRead> | undefined;
  const readTargetOnce = () => {
    targetRead ??= clusterScoped
      ? readClusterTarget(apis, target.kind, target.name)
      : readTarget(apis, target.kind, target.name, namespace ?? "");
    return targetRead;
  };
  let worstPods: { name: string; namespace: string }[] = [];
  await Promise.all([
    asked("namespace") &&
      record("namespace", async () => {
        if (namespace === undefined) throw new Error("the signal names no namespace");
        context.namespace = await readNamespace(apis, namespace);
      }),
    asked("workload") &&
      record("workload", async () => {
        context.workload = (await readTargetOnce()).workload;
      }),
    asked("pods") &&
      record("pods", async () => {
        const pods = [...(await (await readTargetOnce()).pods())]
          .sort((a, b) => restarts(b) - restarts(a))
          .slice(0, MAX_PODS);
        context.pods = pods.map(podContext);
        worstPods = pods.map((p) => ({
          name: p.metadata?.name ?? "",
          namespace: p.metadata?.namespace ?? "",
        }));
      }),
  ]);
  if (asked("events")) {
    await record("events", async () => {
      const podEvents = (pod: { name: string; namespace: string }) =>
        apis.core.listNamespacedEvent({
          namespace: pod.namespace || (namespace ?? ""),
          fieldSelector: `involvedObject.name=${pod.name}`,
        });
      const targetEvents = clusterScoped
        ? // Events about a Node (or another cluster-scoped object) are recorded in whichever namespace the
          // reporter chose (kubelets use "default"), so they are looked up across all of them.
          apis.core.listEventForAllNamespaces({
            fieldSelector: `involvedObject.kind=${target.kind},involvedObject.name=${target.name}`,
          })
        : podEvents({ name: target.name, namespace: namespace ?? "" });
      const others = worstPods.filter((p) => p.name !== target.name).slice(0, MAX_EVENT_TARGETS);
      const lists = await Promise.all([targetEvents, ...others.map(podEvents)]);
      context.events = recentEvents(
        lists.flatMap((list) => list.items.map((event: CoreV1Event) => eventContext(event))),
        MAX_EVENTS,
      );
    });
  }
  return context;
}

async function readNamespace(apis: ClusterApis, name: string): Promise<NamespaceContext> {
  const ns = await apis.core.readNamespace({ name });
  return { name, labels: ns.metadata?.labels ?? {}, annotations: ns.metadata?.annotations ?? {} };
}

/** Reads the target once; the workload and pods sources both await this read. */
async function readTarget(
  apis: ClusterApis,
  kind: string,
  name: string,
  namespace: string,
): Promise<TargetRead> {
  const listBySelector = (selector: string | undefined) => async () => {
    if (selector === undefined) return [];
    return (await apis.core.listNamespacedPod({ namespace, labelSelector: selector })).items;
  };
  switch (kind) {
    case "Pod": {
      const pod = await apis.core.readNamespacedPod({ name, namespace });
      return {
        workload: {
          kind,
          name,
          labels: pod.metadata?.labels ?? {},
          containers: containerResources(pod.spec?.containers),
        },
        pods: async () => [pod],
      };
    }
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet": {
      const workload = await readAppsWorkload(apis, kind, name, namespace);
      const scaled = workload.status as
        | { replicas?: number; readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number }
        | undefined;
      const out: WorkloadContext = {
        kind,
        name,
        labels: workload.metadata?.labels ?? {},
        containers: templateResources(workload.spec?.template),
      };
      const replicas = scaled?.replicas ?? scaled?.desiredNumberScheduled;
      if (replicas !== undefined) out.replicas = replicas;
      const ready = scaled?.readyReplicas ?? scaled?.numberReady;
      if (ready !== undefined) out.readyReplicas = ready;
      return { workload: out, pods: listBySelector(labelSelectorString(workload.spec?.selector)) };
    }
    default:
      throw new Error(`kind ${kind} is not supported (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet)`);
  }
}

/**
 * Reads a cluster-scoped target. A Node is read with its conditions, capacity and taints and the pods scheduled on
 * it; a PersistentVolume with its phase, capacity and claim; a Namespace with the pods in it. Any other
 * cluster-scoped kind is named as not enriched, and processing goes on with the other sources.
 */
async function readClusterTarget(apis: ClusterApis, kind: string, name: string): Promise<TargetRead> {
  switch (kind) {
    case "Node": {
      const node = await apis.core.readNode({ name });
      return {
        workload: { kind, name, labels: node.metadata?.labels ?? {}, containers: [], facts: nodeFacts(node) },
        pods: async () =>
          (await apis.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` })).items,
      };
    }
    case "PersistentVolume": {
      const volume = await apis.core.readPersistentVolume({ name });
      return {
        workload: {
          kind,
          name,
          labels: volume.metadata?.labels ?? {},
          containers: [],
          facts: persistentVolumeFacts(volume),
        },
        pods: async () => [],
      };
    }
    case "Namespace": {
      const ns = await apis.core.readNamespace({ name });
      return {
        workload: {
          kind,
          name,
          labels: ns.metadata?.labels ?? {},
          containers: [],
          facts: namespaceFacts(ns),
        },
        pods: async () => (await apis.core.listNamespacedPod({ namespace: name })).items,
      };
    }
    default:
      throw new Error(
        `cluster-scoped kind ${kind} is not enriched (Node, PersistentVolume and Namespace are)`,
      );
  }
}

function readAppsWorkload(apis: ClusterApis, kind: string, name: string, namespace: string) {
  const params = { name, namespace };
  if (kind === "Deployment") return apis.apps.readNamespacedDeployment(params);
  if (kind === "StatefulSet") return apis.apps.readNamespacedStatefulSet(params);
  if (kind === "DaemonSet") return apis.apps.readNamespacedDaemonSet(params);
  return apis.apps.readNamespacedReplicaSet(params);
}

function restarts(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A short reason from a client-node `ApiException` (whose message embeds all headers) or any error. */
export function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "number") {
    const body = "body" in error ? error.body : undefined;
    const parsed = typeof body === "string" ? safeJson(body) : body;
    const message =
      typeof parsed === "object" &&
      parsed !== null &&
      "message" in parsed &&
      typeof parsed.message === "string"
        ? parsed.message
        : undefined;
    if (error.code === 404) return message ?? "not found";
    return `HTTP ${error.code}${message ? `: ${message}` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
