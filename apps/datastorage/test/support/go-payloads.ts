// The Go-shaped payloads of packages/schema/test/fixtures/go-payloads.ts (kept in step with it).
/**
 * JSON exactly as the seeds' Go structs marshal it with `encoding/json`: zero times for unset `time.Time`,
 * `null` for nil pointers and slices, durations as integer nanoseconds, empty strings for unset strings.
 */
export const goRemediationOrchestrationAudit = {
  id: 0,
  alert_fingerprint: "mem-pressure-prod-123",
  remediation_name: "remediation-mem-pressure-7f9c",
  overall_phase: "completed",
  start_time: "2025-01-15T10:30:00.123456789Z",
  completion_time: "2025-01-15T10:34:12.5+01:00",
  remediation_processing_name: "remediation-mem-pressure-7f9c-processing",
  ai_analysis_name: "remediation-mem-pressure-7f9c-analysis",
  workflow_execution_name: "remediation-mem-pressure-7f9c-workflow",
  service_crd_statuses: {
    remediationProcessing: {
      phase: "completed",
      startTime: "2025-01-15T10:30:01Z",
      completionTime: "2025-01-15T10:30:05Z",
      success: true,
    },
    aiAnalysis: { phase: "completed", startTime: "2025-01-15T10:30:06Z", success: true },
    workflowExecution: {
      phase: "failed",
      startTime: "2025-01-15T10:31:00Z",
      success: false,
      error: "step 2 timed out",
    },
  },
  duplicate_count: 0,
  created_at: "0001-01-01T00:00:00Z",
  updated_at: "0001-01-01T00:00:00Z",
};

export const goRemediationProcessingAudit = {
  id: "",
  remediation_id: "remediation-mem-pressure-7f9c",
  alert_fingerprint: "mem-pressure-prod-123",
  processing_phases: [
    {
      phase: "enriching",
      start_time: "2025-01-15T10:30:01Z",
      end_time: "2025-01-15T10:30:03.5Z",
      duration: 2500000000,
      enrichmentResults: {
        contextQuality: 0.75,
        contextSizeBytes: 4096,
        contextSources: 4,
        degradedMode: true,
      },
    },
    {
      phase: "classifying",
      start_time: "2025-01-15T10:30:03.5Z",
      end_time: "2025-01-15T10:30:03.6Z",
      duration: "100ms",
      classificationResults: {
        environment: "production",
        confidence: 0.95,
        businessPriority: "P0",
        classificationMethod: "namespace-label",
      },
    },
  ],
  enrichment_quality: 0.75,
  enrichment_sources: ["namespace", "workload", "pods", "events"],
  context_size_bytes: 4096,
  environment: "production",
  confidence: 0.95,
  business_priority: "P0",
  sla_requirement: "5m",
  routed_to_service: "ai-analysis",
  routing_priority: 0,
  completed_at: "2025-01-15T10:30:03.700000001Z",
  status: "completed",
};

export const goAIAnalysisInvestigationComplete = {
  trigger: "investigation_complete",
  crd_name: "remediation-mem-pressure-7f9c-analysis",
  crd_namespace: "kubernaut-system",
  alert_fingerprint: "mem-pressure-prod-123",
  environment: "production",
  severity: "critical",
  investigation_start: "2025-01-15T10:30:06Z",
  investigation_end: "2025-01-15T10:30:09.25Z",
  investigation_duration_ms: 3250,
  root_cause_count: 2,
  investigation_report: "Container api exceeded its 512Mi memory limit and was OOMKilled 4 times.",
};
