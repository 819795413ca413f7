import { ResourceClient } from "@kubernaut/controller-runtime";
import { apiVersion, kinds, type RemediationRequest, type WorkflowExecution } from "@kubernaut/crds";
import { randomSuffix } from "@kubernaut/testing/controller";
import { createNamespace, deleteNamespace } from "@kubernaut/testing/kube";
import { GaveUp, waitFor } from "@kubernaut/testing/wait";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { onTheSystem } from "./poll.js";

/** What a user and the external workflow engine do to the cluster. */
export class Cluster {
  readonly core: CoreV1Api;
  readonly requests: ResourceClient<RemediationRequest>;
  readonly workflows: ResourceClient<WorkflowExecution>;

  constructor(kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.requests = new ResourceClient<RemediationRequest>(kubeConfig, kinds.remediationRequest);
    this.workflows = new ResourceClient<WorkflowExecution>(kubeConfig, kinds.workflowExecution);
  }

  /** A fresh namespace labelled as production, for one spec. */
  async productionNamespace(prefix: string): Promise<string> {
    const name = `${prefix}-${randomSuffix()}`;
    await createNamespace(this.core, name, { "kubernaut.ai/environment": "production" });
    return name;
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(this.core, name);
  }

  /** A Pod whose container was OOMKilled and is now crash-looping (status written through pods/status). */
  async oomKilledPod(namespace: string, name: string): Promise<void> {
    await this.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name, namespace, labels: { app: name } },
        spec: {
          // On a cluster with nodes (kind) the pod must never be scheduled: a kubelet would try to pull the
          // image and overwrite the OOMKilled status the spec writes below.
          nodeSelector: { "kubernaut.ai/e2e": "never-scheduled" },
          containers: [
            { name: "app", image: "registry.example/api:1.0", resources: { limits: { memory: "128Mi" } } },
          ],
        },
      },
    });
    const pod = await this.core.readNamespacedPod({ namespace, name });
    const terminatedAt = new Date(Date.now() - 30_000).toISOString();
    pod.status = {
      phase: "Running",
      containerStatuses: [
        {
          name: "app",
          image: "registry.example/api:1.0",
          imageID: "",
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off restarting failed container" } },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: "OOMKilled",
              startedAt: new Date(terminatedAt),
              finishedAt: new Date(terminatedAt),
            },
          },
        },
      ],
    };
    await this.core.replaceNamespacedPodStatus({ namespace, name, body: pod });
  }

  /** What an alert router would create for the OOMKilled pod. */
  createRemediation(namespace: string, name: string, fingerprint: string, pod: string) {
    return this.requests.create({
      apiVersion,
      kind: "RemediationRequest",
      metadata: { name, namespace },
      spec: {
        signalFingerprint: fingerprint,
        signalName: "PodOOMKilled",
        severity: "critical",
        environment: "production",
        targetResource: { kind: "Pod", name: pod, namespace },
        firingTime: new Date().toISOString(),
      },
    });
  }

  phaseOf(namespace: string, name: string): Promise<string | undefined> {
    return this.requests.get({ namespace, name }).then((rr) => rr?.status?.phase);
  }

  /**
   * Waits until the request is in one of `phases`; a request that ends in another phase fails at once. On a
   * timeout the error names the phase the request was last seen in.
   */
  async reaches(namespace: string, name: string, phases: readonly string[], timeoutMs = 300_000) {
    return waitFor(
      `${namespace}/${name} to reach ${phases.join(" or ")}`,
      async () => {
        const rr = await this.requests.get({ namespace, name });
        const phase = rr?.status?.phase;
        if (phase && phases.includes(phase)) return rr;
        if (phase === "completed" || phase === "failed" || phase === "timeout") {
          throw new GaveUp(`${name} ended ${phase}: ${JSON.stringify(rr?.status)}`);
        }
        throw new Error(rr ? `last seen in phase ${phase ?? "(none)"}` : "not found");
      },
      onTheSystem(timeoutMs),
    );
  }

  /** Plays the workflow engine: finds the request's WorkflowExecution, runs it, completes it. */
  async runWorkflow(namespace: string, rrName: string, timeoutMs = 300_000): Promise<WorkflowExecution> {
    const workflow = await waitFor(
      `the WorkflowExecution of ${rrName}`,
      async () => {
        const list = await this.workflows.list({ namespace });
        return list.items.find((w) => w.spec.remediationRequestRef.name === rrName);
      },
      onTheSystem(timeoutMs),
    );
    const ref = { namespace, name: workflow.metadata.name ?? "" };
    await this.workflows.patchStatus(ref, { phase: "running", startTime: new Date().toISOString() });
    return this.workflows.patchStatus(ref, { phase: "completed", completedAt: new Date().toISOString() });
  }

  /** What happens when the alert fires: the OOMKilled pod `<name>-pod`, then the request for it. */
  async startRemediation(namespace: string, name: string, fingerprint: string): Promise<RemediationRequest> {
    await this.oomKilledPod(namespace, `${name}-pod`);
    return this.createRemediation(namespace, name, fingerprint, `${name}-pod`);
  }

  /** The whole remediation from outside: pod, request, workflow engine; answers when it completed. */
  async remediate(namespace: string, name: string, fingerprint: string): Promise<RemediationRequest> {
    await this.startRemediation(namespace, name, fingerprint);
    await this.runWorkflow(namespace, name);
    return this.reaches(namespace, name, ["completed"]);
  }
}
