import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import type { EventObservation, NodeObservation, PodObservation } from "../investigation/request.js";

/** A pod as the investigators see it: each container's state and limits. */
export function observePod(pod: V1Pod): PodObservation {
  const specs = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c]));
  const observation: PodObservation = {
    name: pod.metadata?.name ?? "",
    namespace: pod.metadata?.namespace ?? "",
    containers: (pod.status?.containerStatuses ?? []).map((status) => {
      const limits = specs.get(status.name)?.resources?.limits;
      const container: PodObservation["containers"][number] = {
        name: status.name,
        ready: status.ready,
        restartCount: status.restartCount,
      };
      const optional = {
        waitingReason: status.state?.waiting?.reason,
        terminatedReason: status.state?.terminated?.reason,
        lastTerminatedReason: status.lastState?.terminated?.reason,
        lastExitCode: status.lastState?.terminated?.exitCode,
        image: status.image || specs.get(status.name)?.image,
        memoryLimit: limits?.memory,
        cpuLimit: limits?.cpu,
      };
      for (const [key, value] of Object.entries(optional)) {
        if (value !== undefined && value !== "") Object.assign(container, { [key]: value });
      }
      return container;
    }),
  };
  if (pod.status?.phase) observation.phase = pod.status.phase;
  if (pod.spec?.nodeName) observation.nodeName = pod.spec.nodeName;
  return observation;
}

/**
 * A node's problems: every pressure or unavailability condition that is True, and `NotReady` when the Ready
 * condition is anything but True.
 */
export function observeNode(node: V1Node): NodeObservation {
  const problems: string[] = [];
  for (const condition of node.status?.conditions ?? []) {
    if (condition.type === "Ready") {
      if (condition.status !== "True") problems.push("NotReady");
    } else if (condition.status === "True") {
      problems.push(condition.type);
    }
  }
  return { name: node.metadata?.name ?? "", unschedulable: node.spec?.unschedulable === true, problems };
}

/** Newest first, at most `limit`. */
export function observeEvents(events: readonly CoreV1Event[], limit = 10): EventObservation[] {
  const time = (e: CoreV1Event) =>
    new Date(
      e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? 0,
    ).getTime();
  return [...events]
    .sort((a, b) => time(b) - time(a))
    .slice(0, limit)
    .map((e) => ({ type: e.type ?? "Normal", reason: e.reason ?? "", message: e.message ?? "" }));
}
