import type {
  AIAnalysis,
  RemediationProcessing,
  RemediationRequest,
  RemediationRequestStatus,
  WorkflowExecution,
} from "@kubernaut/crds";
import { DEFAULT_SETTINGS, type OrchestratorSettings } from "../../src/settings.js";

export const T0 = "2025-01-15T10:00:00.000Z";

export const settings: OrchestratorSettings = {
  ...DEFAULT_SETTINGS,
  timeouts: { processing: 60_000, analyzing: 120_000, executing: 300_000, overall: 600_000 },
  retentionMs: 24 * 3600_000,
};

export function at(secondsAfterT0: number): Date {
  return new Date(Date.parse(T0) + secondsAfterT0 * 1000);
}

export function request(status?: RemediationRequestStatus, name = "rr-1"): RemediationRequest {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "RemediationRequest",
    metadata: {
      name,
      namespace: "kubernaut-system",
      uid: `uid-${name}`,
      creationTimestamp: T0,
      labels: { "kubernaut.ai/fingerprint": "mem-pressure-prod-123" },
    },
    spec: {
      signalFingerprint: "mem-pressure-prod-123",
      signalName: "PodOOMKilled",
      severity: "critical",
      environment: "production",
      targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      signalLabels: { alertname: "PodOOMKilled" },
      firingTime: T0,
    },
    ...(status ? { status } : {}),
  };
}

const meta = (name: string) => ({
  name,
  namespace: "kubernaut-system",
  uid: `uid-${name}`,
  creationTimestamp: T0,
});

export function processingChild(status?: RemediationProcessing["status"]): RemediationProcessing {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "RemediationProcessing",
    metadata: meta("rr-1-processing"),
    spec: {
      remediationRequestRef: { name: "rr-1", namespace: "kubernaut-system" },
      signal: {
        fingerprint: "mem-pressure-prod-123",
        name: "PodOOMKilled",
        severity: "critical",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      },
    },
    ...(status ? { status } : {}),
  };
}

export const completedProcessing = () =>
  processingChild({
    phase: "completed",
    completedAt: "2025-01-15T10:00:05Z",
    enrichmentResults: {
      enrichmentQuality: 0.75,
      contextSizeBytes: 900,
      namespaceLabels: { environment: "production" },
      summary: "pod api-1 container app: CrashLoopBackOff, restarts 5, last terminated OOMKilled (exit 137)",
    },
    environmentClassification: {
      environment: "production",
      confidence: 0.95,
      businessPriority: "P0",
      slaRequirement: "5m",
      classificationMethod: "namespace-label",
    },
  });

export function analysisChild(status?: AIAnalysis["status"]): AIAnalysis {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "AIAnalysis",
    metadata: meta("rr-1-analysis"),
    spec: {
      remediationRequestRef: { name: "rr-1", namespace: "kubernaut-system" },
      analysisRequest: {
        alertContext: {
          fingerprint: "mem-pressure-prod-123",
          environment: "production",
          severity: "critical",
          signalName: "PodOOMKilled",
          targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
        },
      },
    },
    ...(status ? { status } : {}),
  };
}

export function workflowChild(status?: WorkflowExecution["status"]): WorkflowExecution {
  return {
    apiVersion: "kubernaut.ai/v1alpha1",
    kind: "WorkflowExecution",
    metadata: meta("rr-1-workflow"),
    spec: {
      remediationRequestRef: { name: "rr-1", namespace: "kubernaut-system" },
      aiAnalysisRef: { name: "rr-1-analysis", namespace: "kubernaut-system" },
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
    },
    ...(status ? { status } : {}),
  };
}
