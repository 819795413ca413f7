import type {
  CoreV1Event,
  V1Container,
  V1ContainerStatus,
  V1LabelSelector,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1Pod,
  V1PodTemplateSpec,
} from "@kubernetes/client-node";
import type { ContainerResources, ContainerStatusContext, EventContext, PodContext } from "./context.js";

/** Requests and limits of each container of a pod template or pod spec. */
export function containerResources(containers: readonly V1Container[] | undefined): ContainerResources[] {
  return (containers ?? []).map((c) => {
    const out: ContainerResources = { name: c.name };
    if (c.resources?.requests) out.requests = quantities(c.resources.requests);
    if (c.resources?.limits) out.limits = quantities(c.resources.limits);
    return out;
  });
}

/** Quantities arrive as strings from the API (`256Mi`); keep them as written. */
function quantities(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

export function templateResources(template: V1PodTemplateSpec | undefined): ContainerResources[] {
  return containerResources(template?.spec?.containers);
}

/** Pod phase and each container's health, including the reason of its last termination (e.g. OOMKilled). */
export function podContext(pod: V1Pod): PodContext {
  return {
    name: pod.metadata?.name ?? "",
    phase: pod.status?.phase ?? "Unknown",
    containers: (pod.status?.containerStatuses ?? []).map(containerStatus),
  };
}

function containerStatus(status: V1ContainerStatus): ContainerStatusContext {
  const out: ContainerStatusContext = {
    name: status.name,
    ready: status.ready,
    restartCount: status.restartCount,
    state:
      status.state?.waiting?.reason ??
      status.state?.terminated?.reason ??
      (status.state?.running ? "Running" : "Unknown"),
  };
  const last = status.lastState?.terminated;
  if (last) {
    out.lastTerminationReason = last.reason ?? "Unknown";
    out.lastExitCode = last.exitCode;
  }
  return out;
}

export function eventContext(event: CoreV1Event): EventContext {
  const last = event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  const out: EventContext = {
    type: event.type ?? "Normal",
    reason: event.reason ?? "",
    message: event.message ?? "",
    count: event.count ?? 1,
    involvedObject: `${event.involvedObject.kind ?? ""}/${event.involvedObject.name ?? ""}`,
  };
  if (last) out.lastSeen = new Date(last).toISOString();
  return out;
}

/** Newest first, at most `max`. */
export function recentEvents(events: readonly EventContext[], max: number): EventContext[] {
  return [...events].sort((a, b) => (b.lastSeen ?? "").localeCompare(a.lastSeen ?? "")).slice(0, max);
}

/** A `LabelSelector` object as the query-string form list calls take (`app=api,tier in (web)`). */
export function labelSelectorString(selector: V1LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const expr of selector.matchExpressions ?? []) {
    if (expr.operator === "In" && expr.values?.length)
      parts.push(`${expr.key} in (${expr.values.join(",")})`);
    if (expr.operator === "Exists") parts.push(expr.key);
    if (expr.operator === "DoesNotExist") parts.push(`!${expr.key}`);
    if (expr.operator === "NotIn" && expr.values?.length)
      parts.push(`${expr.key} notin (${expr.values.join(",")})`);
  }
  return parts.length > 0 ? parts.join(",") : undefined;
}

/**
 * A Node's health as lines: every condition that is not as a healthy node has it (Ready True, pressures False), then
 * capacity and allocatable, taints and whether it is cordoned.
 */
export function nodeFacts(node: V1Node): string[] {
  const facts: string[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const healthy = condition.type === "Ready" ? "True" : "False";
    const detail = condition.reason
      ? ` (${condition.reason}${condition.message ? `: ${condition.message}` : ""})`
      : "";
    facts.push(
      `condition ${condition.type}=${condition.status}${condition.status === healthy ? "" : detail}`,
    );
  }
  const capacity = formatQuantities(node.status?.capacity);
  if (capacity) facts.push(`capacity ${capacity}`);
  const allocatable = formatQuantities(node.status?.allocatable);
  if (allocatable) facts.push(`allocatable ${allocatable}`);
  for (const taint of node.spec?.taints ?? []) {
    facts.push(`taint ${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`);
  }
  if (node.spec?.unschedulable) facts.push("unschedulable (cordoned)");
  return facts;
}

export function persistentVolumeFacts(volume: V1PersistentVolume): string[] {
  const facts = [`phase ${volume.status?.phase ?? "Unknown"}`];
  const capacity = formatQuantities(volume.spec?.capacity);
  if (capacity) facts.push(`capacity ${capacity}`);
  const claim = volume.spec?.claimRef;
  if (claim) facts.push(`claimed by ${claim.namespace ?? ""}/${claim.name ?? ""}`);
  if (volume.spec?.storageClassName) facts.push(`storage class ${volume.spec.storageClassName}`);
  if (volume.status?.message) facts.push(`message ${volume.status.message}`);
  return facts;
}

export function namespaceFacts(ns: V1Namespace): string[] {
  return [`phase ${ns.status?.phase ?? "Unknown"}`];
}

function formatQuantities(values: Record<string, unknown> | undefined): string {
  return Object.entries(values ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
}
