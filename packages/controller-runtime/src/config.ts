import { KubeConfig } from "@kubernetes/client-node";

/** No cluster to talk to: the message says what to set. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeConfigError";
  }
}

/**
 * The KubeConfig of `$KUBECONFIG`, else `~/.kube/config`, else the in-cluster service account.
 * Throws when none of them names a cluster, instead of client-node's silent fallback to localhost:8080.
 */
export function loadKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const cluster = kubeConfig.getCurrentCluster();
  if (
    !cluster ||
    (cluster.server === "http://localhost:8080" && kubeConfig.getCurrentContext() === "loaded-context")
  ) {
    throw new KubeConfigError(
      "no Kubernetes configuration found: set KUBECONFIG, provide ~/.kube/config, or run in a pod with a service account",
    );
  }
  return kubeConfig;
}
