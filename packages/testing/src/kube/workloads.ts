import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";

/**
 * An OOMKilled workload as a cluster shows it: Deployment `name` → ReplicaSet `<name>-7d9f8` → Pod
 * `<name>-7d9f8-x2k4p`, linked by owner references as the built-in controllers would (the test API server
 * runs none), with a 256Mi memory limit, the container in CrashLoopBackOff after 5 restarts, last
 * terminated OOMKilled (exit 137), and the kubelet's BackOff Warning event. Answers the pod's name.
 */
export async function createOomKilledWorkload(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
): Promise<string> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const labels = { app: name };
  const container = {
    name: "app",
    image: "registry.example/app:1",
    resources: { requests: { memory: "128Mi" }, limits: { memory: "256Mi" } },
  };
  const template = { metadata: { labels }, spec: { containers: [container] } };
  const owner = (kind: string, object: { metadata?: { name?: string; uid?: string } }) => ({
    apiVersion: "apps/v1",
    kind,
    name: object.metadata?.name ?? "",
    uid: object.metadata?.uid ?? "",
    controller: true,
  });
  const deployment = await apps.createNamespacedDeployment({
    namespace,
    body: { metadata: { name, labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template } },
  });
  const replicaSet = await apps.createNamespacedReplicaSet({
    namespace,
    body: {
      metadata: { name: `${name}-7d9f8`, labels, ownerReferences: [owner("Deployment", deployment)] },
      spec: { replicas: 1, selector: { matchLabels: labels }, template },
    },
  });
  const pod = `${name}-7d9f8-x2k4p`;
  const created = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: pod, labels, ownerReferences: [owner("ReplicaSet", replicaSet)] },
      spec: { containers: [container] },
    },
  });
  const now = new Date();
  // A status write carries the whole object: pods/status also takes metadata, so partial metadata would drop labels.
  created.status = {
    phase: "Running",
    containerStatuses: [
      {
        name: "app",
        image: container.image,
        imageID: "",
        ready: false,
        restartCount: 5,
        state: {
          waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container" },
        },
        lastState: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: now, finishedAt: now } },
      },
    ],
  };
  await core.replaceNamespacedPodStatus({ name: pod, namespace, body: created });
  await core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: `${pod}.oom` },
      involvedObject: { kind: "Pod", name: pod, namespace, apiVersion: "v1" },
      reason: "BackOff",
      message: "Back-off restarting failed container app",
      type: "Warning",
      count: 12,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: "kubelet" },
    },
  });
  return pod;
}
