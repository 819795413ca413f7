/**
 * The remediation actions the workflow engine knows how to run. A recommendation outside this catalog, or
 * aimed at a kind the action cannot act on, is a hallucination: nothing could execute it.
 */
export const ACTION_CATALOG = {
  "increase-memory-limit": {
    description: "Raise the memory limit of the workload's containers",
    targetKinds: ["Deployment", "StatefulSet", "DaemonSet", "Pod"],
  },
  "increase-cpu-limit": {
    description: "Raise the CPU limit of the workload's containers",
    targetKinds: ["Deployment", "StatefulSet", "DaemonSet", "Pod"],
  },
  "restart-pod": {
    description: "Delete the pod so that its controller recreates it",
    targetKinds: ["Pod"],
  },
  "rollback-deployment": {
    description: "Roll the deployment back to its previous revision",
    targetKinds: ["Deployment"],
  },
  "scale-deployment": {
    description: "Add replicas to spread the load",
    targetKinds: ["Deployment", "StatefulSet"],
  },
  "cordon-node": {
    description: "Mark the node unschedulable",
    targetKinds: ["Node"],
  },
  "drain-node": {
    description: "Evict the node's pods so they run elsewhere",
    targetKinds: ["Node"],
  },
  "clean-disk": {
    description: "Remove unused images, dead containers and rotated logs on the node",
    targetKinds: ["Node"],
  },
  "fix-image-reference": {
    description: "Correct the image name, tag or pull secret of the workload",
    targetKinds: ["Deployment", "StatefulSet", "DaemonSet", "Pod"],
  },
} as const satisfies Record<string, { description: string; targetKinds: readonly string[] }>;

export type CatalogAction = keyof typeof ACTION_CATALOG;

export function isCatalogAction(action: string): action is CatalogAction {
  return Object.hasOwn(ACTION_CATALOG, action);
}

/** The kinds the analysis can look up in the cluster, and whether they live in a namespace. */
export const KNOWN_KINDS: Readonly<Record<string, { namespaced: boolean }>> = {
  Pod: { namespaced: true },
  Deployment: { namespaced: true },
  StatefulSet: { namespaced: true },
  DaemonSet: { namespaced: true },
  Node: { namespaced: false },
};
