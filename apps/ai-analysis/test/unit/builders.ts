import type { AIAnalysis, AlertContext } from "@kubernaut/crds";
import type {
  ClusterObservations,
  ContainerObservation,
  InvestigationRequest,
} from "../../src/investigation/request.js";

export function alertContext(overrides: Partial<AlertContext> = {}): AlertContext {
  return {
    fingerprint: "fp-0123456789abcdef",
    environment: "production",
    severity: "critical",
    signalName: "KubePodOOMKilled",
    namespace: "payments",
    targetResource: { kind: "Pod", name: "api-7d9f-abcde", namespace: "payments" },
    ...overrides,
  };
}

export function container(overrides: Partial<ContainerObservation> = {}): ContainerObservation {
  return { name: "api", ready: false, restartCount: 3, ...overrides };
}

export function observations(overrides: Partial<ClusterObservations> = {}): ClusterObservations {
  return {
    pod: {
      name: "api-7d9f-abcde",
      namespace: "payments",
      phase: "Running",
      nodeName: "node-1",
      containers: [container({ lastTerminatedReason: "OOMKilled", lastExitCode: 137, memoryLimit: "256Mi" })],
    },
    workload: { kind: "Deployment", name: "api", namespace: "payments" },
    events: [],
    ...overrides,
  };
}

export function request(overrides: Partial<InvestigationRequest> = {}): InvestigationRequest {
  return { alert: alertContext(), cluster: observations(), similar: [], ...overrides };
}

export function analysis(
  overrides: { status?: AIAnalysis["status"]; alert?: Partial<AlertContext> } = {},
): AIAnalysis {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "AIAnalysis",
    metadata: {
      name: "rr-payments-api-analysis",
      namespace: "payments",
      uid: "6b1f3a8e-2c47-4d9b-9e2a-0f5c3d7e1a90",
      generation: 1,
      resourceVersion: "100",
    },
    spec: {
      remediationRequestRef: { name: "rr-payments-api", namespace: "payments" },
      analysisRequest: { alertContext: alertContext(overrides.alert) },
    },
    status: overrides.status,
  };
}
