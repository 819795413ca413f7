import {
  type AIAnalysis,
  apiVersion,
  type RemediationProcessing,
  type RemediationRequest,
  type WorkflowExecution,
} from "../src/index.js";

const t0 = "2025-01-15T10:00:00Z";
const t1 = "2025-01-15T10:00:02.5Z";
const t2 = "2025-01-15T10:00:07.123456789Z";
const target = { kind: "Deployment", name: "payments", namespace: "prod-payments" };
const requestRef = { name: "mem-pressure-prod-123", namespace: "kubernaut-system" };

/** One object of each kind with every spec and status field set, so a round trip shows nothing is pruned. */
export function fullRemediationRequest(namespace: string): RemediationRequest {
  return {
    apiVersion,
    kind: "RemediationRequest",
    metadata: { name: "mem-pressure-prod-123", namespace },
    spec: {
      signalFingerprint: "mem-pressure-prod-123",
      signalName: "HighMemoryUsage",
      severity: "critical",
      environment: "production",
      targetResource: target,
      signalLabels: { alertname: "HighMemoryUsage", team: "payments" },
      signalAnnotations: { summary: "memory above 90%" },
      firingTime: t0,
      timeouts: { processing: "5m", analyzing: "10m", executing: "30m", overall: "1h" },
    },
    status: {
      phase: "failed",
      phaseTransitions: { pending: t0, processing: t0, analyzing: t1, executing: t2, failed: t2 },
      startTime: t0,
      completedAt: t2,
      remediationProcessingRef: { name: "mem-pressure-prod-123-processing", namespace },
      aiAnalysisRef: { name: "mem-pressure-prod-123-analysis", namespace },
      workflowExecutionRef: { name: "mem-pressure-prod-123-workflow", namespace },
      failedPhase: "executing",
      errorMessage: "workflow failed: rollout timed out",
      timeoutPhase: "executing",
      timeoutTime: t2,
      duplicateOf: "mem-pressure-prod-122",
      duplicateCount: 3,
      lastDuplicateTime: t1,
      auditRecorded: true,
      auditRecordedTime: t2,
      retentionExpiryTime: "2025-01-16T10:00:07Z",
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "WorkflowFailed",
          message: "rollout timed out",
          lastTransitionTime: t2,
          observedGeneration: 1,
        },
      ],
      observedGeneration: 1,
    },
  };
}

export function fullRemediationProcessing(namespace: string): RemediationProcessing {
  return {
    apiVersion,
    kind: "RemediationProcessing",
    metadata: { name: "mem-pressure-prod-123-processing", namespace },
    spec: {
      remediationRequestRef: requestRef,
      signal: {
        fingerprint: "mem-pressure-prod-123",
        name: "HighMemoryUsage",
        severity: "warning",
        namespace: "prod-payments",
        environment: "production",
        labels: { alertname: "HighMemoryUsage" },
        annotations: { summary: "memory above 90%" },
        targetResource: target,
        firingTime: t0,
      },
      enrichmentConfig: { contextSources: ["kubernetes", "metrics"] },
    },
    status: {
      phase: "completed",
      phaseTransitions: { enriching: t0, classifying: t1, routing: t2, completed: t2 },
      enrichmentResults: {
        completedAt: t1,
        duration: "2.5s",
        enrichmentQuality: 0.85,
        contextSizeBytes: 2048,
        contextSources: ["kubernetes"],
        namespaceLabels: { environment: "production" },
        namespaceAnnotations: { owner: "payments" },
        targetResourceFound: true,
        targetResourceLabels: { app: "payments" },
        relatedEventCount: 4,
        summary: "Deployment payments, 3 replicas, 4 warning events",
      },
      degradedMode: false,
      classificationStartTime: t1,
      classificationEndTime: t2,
      classificationDuration: "4.623456789s",
      environmentClassification: {
        environment: "production",
        confidence: 0.95,
        businessPriority: "P0",
        slaRequirement: "5m",
        classificationMethod: "namespace-label",
      },
      routing: { routedToService: "ai-analysis", routingPriority: 1, routingKey: "production-critical" },
      completedAt: t2,
      failedPhase: "routing",
      errorMessage: "none",
      conditions: [{ type: "Ready", status: "True", reason: "Routed", message: "", lastTransitionTime: t2 }],
      observedGeneration: 2,
    },
  };
}

export function fullAIAnalysis(namespace: string): AIAnalysis {
  return {
    apiVersion,
    kind: "AIAnalysis",
    metadata: { name: "mem-pressure-prod-123-analysis", namespace },
    spec: {
      remediationRequestRef: requestRef,
      analysisRequest: {
        alertContext: {
          fingerprint: "mem-pressure-prod-123",
          environment: "production",
          severity: "critical",
          signalName: "HighMemoryUsage",
          namespace: "prod-payments",
          targetResource: target,
          businessPriority: "P0",
          labels: { alertname: "HighMemoryUsage" },
          annotations: { summary: "memory above 90%" },
          enrichmentSummary: {
            enrichmentQuality: 0.85,
            contextSizeBytes: 2048,
            namespaceLabels: { environment: "production" },
            summary: "3 replicas",
          },
        },
      },
    },
    status: {
      phase: "completed",
      phaseTransitions: { investigating: t0, analyzing: t1, recommending: t2, completed: t2 },
      investigationResult: {
        rootCauseHypotheses: [
          { hypothesis: "memory leak after release 1.4", confidence: 0.8, evidence: ["OOMKilled x3"] },
        ],
        investigationReport: "Pods restarted three times with OOMKilled.",
        provider: "rule-based",
      },
      confidenceScore: 0.8,
      hallucinationDetected: false,
      recommendations: [
        {
          action: "increase-memory-limit",
          description: "raise the limit to 1Gi",
          targetResource: target,
          parameters: { memory: "1Gi" },
          effectivenessProbability: 0.9,
          historicalSuccessRate: 0.75,
          rank: 1,
        },
        { action: "restart-pod", effectivenessProbability: 0.4, rank: 2 },
      ],
      workflowExecutionRef: { name: "mem-pressure-prod-123-workflow", namespace },
      completedAt: t2,
      failedPhase: "recommending",
      failureReason: "none",
      completionStatus: "completed",
      investigationAttempts: 1,
      nextInvestigationTime: "2025-01-15T10:00:02Z",
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Recommended",
          message: "2 actions",
          lastTransitionTime: t2,
        },
      ],
      observedGeneration: 1,
    },
  };
}

export function fullWorkflowExecution(namespace: string): WorkflowExecution {
  return {
    apiVersion,
    kind: "WorkflowExecution",
    metadata: { name: "mem-pressure-prod-123-workflow", namespace },
    spec: {
      remediationRequestRef: requestRef,
      aiAnalysisRef: { name: "mem-pressure-prod-123-analysis", namespace },
      action: "increase-memory-limit",
      targetResource: target,
      parameters: { memory: "1Gi" },
    },
    status: {
      phase: "completed",
      startTime: t1,
      completedAt: t2,
      message: "limit raised",
      conditions: [{ type: "Ready", status: "True", reason: "Done", message: "", lastTransitionTime: t2 }],
    },
  };
}
