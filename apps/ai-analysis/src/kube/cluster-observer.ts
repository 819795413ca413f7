import type { Logger } from "@kubernaut/controller-runtime";
import type { AlertContext, TargetResource } from "@kubernaut/crds";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1OwnerReference,
} from "@kubernetes/client-node";
import type { ResourceLookup } from "../analysis/hallucination.js";
import type { ClusterObservations, WorkloadReference } from "../investigation/request.js";
import { observeEvents, observeNode, observePod } from "./observations.js";

const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const controllerOf = (owners: readonly V1OwnerReference[] | undefined) => owners?.find((o) => o.controller);

/**
 * Reads what the investigation needs from the cluster: the target pod (container states and limits), the
 * workload that owns it, its node's conditions and recent events. It also answers whether an object exists,
 * which is how recommendations naming imaginary objects are caught.
 */
export class KubernetesClusterReader implements ResourceLookup {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly logger: Logger,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  async observe(alert: AlertContext): Promise<ClusterObservations> {
    const target = alert.targetResource;
    const namespace = target.namespace ?? alert.namespace;
    const observations: ClusterObservations = { events: [] };

    if (target.kind === "Pod" && namespace) {
      const pod = await orUndefined(this.core.readNamespacedPod({ name: target.name, namespace }));
      if (pod) {
        observations.pod = observePod(pod);
        const workload = await this.workloadOwning(
          controllerOf(pod.metadata?.ownerReferences),
          namespace,
        ).catch((error: unknown) => {
          this.logger.warn(
            { err: String(error), pod: target.name },
            "owning workload unknown; acting on the pod",
          );
          return undefined;
        });
        if (workload) observations.workload = workload;
      }
    } else if (["Deployment", "StatefulSet", "DaemonSet"].includes(target.kind) && namespace) {
      observations.workload = { kind: target.kind, name: target.name, namespace };
    }

    const nodeName = target.kind === "Node" ? target.name : observations.pod?.nodeName;
    if (nodeName) {
      const node = await orUndefined(this.core.readNode({ name: nodeName }));
      if (node) observations.node = observeNode(node);
    }

    observations.events = await this.recentEvents(target, namespace ?? "default");
    return observations;
  }

  async exists(target: TargetResource): Promise<boolean> {
    const { name, namespace } = target;
    if (target.kind === "Node") return (await orUndefined(this.core.readNode({ name }))) !== undefined;
    if (!namespace) return false;
    const read = {
      Pod: () => this.core.readNamespacedPod({ name, namespace }),
      Deployment: () => this.apps.readNamespacedDeployment({ name, namespace }),
      StatefulSet: () => this.apps.readNamespacedStatefulSet({ name, namespace }),
      DaemonSet: () => this.apps.readNamespacedDaemonSet({ name, namespace }),
    }[target.kind];
    if (!read) return false;
    return (await orUndefined<unknown>(read())) !== undefined;
  }

  /** Follows Pod → ReplicaSet → Deployment; StatefulSets and DaemonSets own their pods directly. */
  private async workloadOwning(
    owner: V1OwnerReference | undefined,
    namespace: string,
  ): Promise<WorkloadReference | undefined> {
    if (!owner) return undefined;
    if (owner.kind === "StatefulSet" || owner.kind === "DaemonSet") {
      return { kind: owner.kind, name: owner.name, namespace };
    }
    if (owner.kind !== "ReplicaSet") return undefined;
    const replicaSet = await orUndefined(this.apps.readNamespacedReplicaSet({ name: owner.name, namespace }));
    const deployment = controllerOf(replicaSet?.metadata?.ownerReferences);
    return deployment?.kind === "Deployment"
      ? { kind: "Deployment", name: deployment.name, namespace }
      : undefined;
  }

  /** Events help but are not essential: a failure to list them (e.g. no RBAC) yields none. */
  private async recentEvents(target: TargetResource, namespace: string) {
    try {
      const list = await this.core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.kind=${target.kind},involvedObject.name=${target.name}`,
        limit: 50,
      });
      return observeEvents(list.items);
    } catch (error) {
      this.logger.warn(
        { err: String(error), target: target.name },
        "events unavailable; investigating without them",
      );
      return [];
    }
  }
}
