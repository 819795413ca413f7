import type { RemediationProcessing } from "@kubernaut/crds";
import type { SignalContext } from "../../src/enrichment/context.js";

export function processing(overrides: Partial<RemediationProcessing> = {}): RemediationProcessing {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "RemediationProcessing",
    metadata: {
      name: "rr-1-processing",
      namespace: "kubernaut-system",
      uid: "0b7e7c1e-1111-4b9a-9c0d-2f0e4a1b2c3d",
      creationTimestamp: "2025-01-15T10:00:00Z",
    },
    spec: {
      remediationRequestRef: { name: "rr-1", namespace: "kubernaut-system" },
      signal: {
        fingerprint: "mem-pressure-prod-123",
        name: "PodOOMKilled",
        severity: "critical",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      },
    },
    ...overrides,
  };
}

/** A context where every source answered: a Deployment whose pod was OOMKilled. */
export function oomContext(): SignalContext {
  return {
    namespace: { name: "payments", labels: { environment: "production" }, annotations: { owner: "team-a" } },
    workload: {
      kind: "Deployment",
      name: "api",
      labels: { app: "api" },
      replicas: 2,
      readyReplicas: 1,
      containers: [{ name: "app", requests: { memory: "128Mi" }, limits: { memory: "256Mi" } }],
    },
    pods: [
      {
        name: "api-7d9f-x",
        phase: "Running",
        containers: [
          {
            name: "app",
            ready: false,
            restartCount: 5,
            state: "CrashLoopBackOff",
            lastTerminationReason: "OOMKilled",
            lastExitCode: 137,
          },
        ],
      },
    ],
    events: [
      {
        type: "Warning",
        reason: "BackOff",
        message: "Back-off restarting failed container",
        count: 12,
        involvedObject: "Pod/api-7d9f-x",
      },
    ],
    outcomes: { namespace: { ok: true }, workload: { ok: true }, pods: { ok: true }, events: { ok: true } },
  };
}
