/**
 * Audit trails written through the storage API, shaped as the controllers publish them: a completed
 * remediation, a failed one with duplicate alerts (a 64-character fingerprint, a long failure reason), an older
 * similar investigation, an alert remediated twice, one that timed out, and filler for paging.
 */

export interface SeededTrails {
  happy: { fingerprint: string; name: string; records: number };
  failed: { fingerprint: string; name: string; reason: string };
  old: { fingerprint: string; name: string };
  /** Two remediations of one alert: the older failed, the newer still running (its last mark a long label). */
  retried: { fingerprint: string; older: string; newer: string; newerRecords: number; workflow: string };
  /** Timed out in its workflow, with a failure reason of several lines and no failure phase. */
  timedOut: { fingerprint: string; name: string; reason: string };
  /** Remediations written in all. */
  total: number;
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<void> {
  const response = await fetch(new URL(path, base), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

const snapshot = (phase: string, start: string, end?: string) => ({
  phase,
  startTime: start,
  ...(end ? { completionTime: end } : {}),
  success: phase === "completed",
});

/** One remediation's records, in the order the controllers publish them. */
function happyTrail(fingerprint: string, name: string, t0: number): Record<string, unknown>[] {
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const analysis = `${name}-analysis`;
  const workflow = `${analysis}-workflow`;
  const processing = `${name}-processing`;
  const base = {
    kind: "remediation-orchestration",
    alert_fingerprint: fingerprint,
    remediation_name: name,
    start_time: at(0),
    signal_name: "PodOOMKilled",
    target_namespace: "api",
  };
  const ai = {
    kind: "ai-analysis",
    crd_name: analysis,
    crd_namespace: "default",
    remediation_id: name,
    alert_fingerprint: fingerprint,
    environment: "production",
    severity: "critical",
  };
  return [
    { ...base, overall_phase: "pending", occurred_at: at(0) },
    {
      ...base,
      overall_phase: "processing",
      alert_processing_name: processing,
      occurred_at: at(1),
      service_crd_statuses: { remediationProcessing: snapshot("enriching", at(1)) },
    },
    {
      kind: "alert-processing",
      remediation_id: name,
      alert_fingerprint: fingerprint,
      processing_phases: [
        { phase: "enriching", start_time: at(1), duration: "1.2s" },
        { phase: "classifying", start_time: at(2.2), duration: "300ms" },
        { phase: "routing", start_time: at(2.5), duration: "100ms" },
      ],
      status: "completed",
      environment: "production",
      confidence: 0.92,
      business_priority: "P0",
      sla_requirement: "5m",
      routed_to_service: "ai-analysis",
      completed_at: at(2.6),
      occurred_at: at(2.6),
    },
    {
      ...base,
      overall_phase: "analyzing",
      alert_processing_name: processing,
      ai_analysis_name: analysis,
      occurred_at: at(3),
      service_crd_statuses: {
        remediationProcessing: snapshot("completed", at(1), at(2.6)),
        aiAnalysis: snapshot("investigating", at(3)),
      },
    },
    {
      ...ai,
      trigger: "investigation_complete",
      investigation_start: at(3),
      investigation_end: at(5),
      root_cause_count: 1,
      investigation_report:
        "Container api was OOMKilled 12 times; memory reached the 512Mi limit under load.",
      occurred_at: at(5),
    },
    {
      ...ai,
      trigger: "analysis_complete",
      analysis_start: at(5),
      analysis_end: at(6),
      confidence_score: 0.9,
      hallucination_detected: false,
      occurred_at: at(6),
    },
    {
      ...ai,
      trigger: "recommendations_generated",
      recommendation_start: at(6),
      recommendation_end: at(7),
      recommendations: [
        {
          action: "increase-memory-limit",
          effectivenessProbability: 0.85,
          historicalSuccessRate: 0.8,
          rank: 1,
        },
        { action: "restart-pod", effectivenessProbability: 0.4, rank: 2 },
      ],
      occurred_at: at(7),
    },
    {
      ...ai,
      trigger: "workflow_created",
      workflow_crd_name: workflow,
      workflow_crd_namespace: "default",
      occurred_at: at(7.5),
    },
    {
      ...base,
      overall_phase: "executing",
      alert_processing_name: processing,
      ai_analysis_name: analysis,
      workflow_execution_name: workflow,
      occurred_at: at(8),
      service_crd_statuses: {
        remediationProcessing: snapshot("completed", at(1), at(2.6)),
        aiAnalysis: snapshot("completed", at(3), at(7.5)),
        workflowExecution: snapshot("running", at(8)),
      },
    },
    {
      ...base,
      overall_phase: "completed",
      completion_time: at(20),
      alert_processing_name: processing,
      ai_analysis_name: analysis,
      workflow_execution_name: workflow,
      occurred_at: at(20),
      service_crd_statuses: {
        remediationProcessing: snapshot("completed", at(1), at(2.6)),
        aiAnalysis: snapshot("completed", at(3), at(7.5)),
        workflowExecution: snapshot("completed", at(8), at(20)),
      },
    },
  ];
}

function failedTrail(
  fingerprint: string,
  name: string,
  reason: string,
  t0: number,
): Record<string, unknown>[] {
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const analysis = `${name}-analysis`;
  const base = {
    kind: "remediation-orchestration",
    alert_fingerprint: fingerprint,
    remediation_name: name,
    start_time: at(0),
    signal_name: "NodeDiskPressure",
  };
  return [
    { ...base, overall_phase: "pending", occurred_at: at(0) },
    {
      ...base,
      overall_phase: "processing",
      occurred_at: at(1),
      duplicate_count: 2,
      last_duplicate_time: at(1.5),
    },
    {
      kind: "alert-processing",
      remediation_id: name,
      alert_fingerprint: fingerprint,
      processing_phases: [{ phase: "enriching", start_time: at(1), duration: "3.5s" }],
      status: "completed",
      environment: "staging",
      confidence: 0.7,
      occurred_at: at(4.5),
    },
    {
      ...base,
      overall_phase: "analyzing",
      ai_analysis_name: analysis,
      duplicate_count: 2,
      occurred_at: at(5),
      service_crd_statuses: { aiAnalysis: snapshot("investigating", at(5)) },
    },
    {
      kind: "ai-analysis",
      trigger: "analysis_failed",
      crd_name: analysis,
      crd_namespace: "default",
      remediation_id: name,
      alert_fingerprint: fingerprint,
      environment: "staging",
      severity: "warning",
      failure_reason: "the model did not answer within 60s",
      occurred_at: at(65),
    },
    {
      ...base,
      overall_phase: "failed",
      completion_time: at(66),
      failure_phase: "analyzing",
      failure_reason: reason,
      duplicate_count: 2,
      occurred_at: at(66),
      service_crd_statuses: { aiAnalysis: { ...snapshot("failed", at(5), at(65)), error: "model timeout" } },
    },
  ];
}

/** A remediation that failed in its workflow (`failed`), or one whose workflow was just created (`running`). */
function retriedTrail(
  fingerprint: string,
  name: string,
  t0: number,
  outcome: "failed" | "running",
  workflow: string,
): Record<string, unknown>[] {
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const base = {
    kind: "remediation-orchestration",
    alert_fingerprint: fingerprint,
    remediation_name: name,
    start_time: at(0),
    signal_name: "RedisMemoryHigh",
    target_namespace: "cache",
  };
  if (outcome === "failed") {
    return [
      { ...base, overall_phase: "pending", occurred_at: at(0) },
      {
        ...base,
        overall_phase: "failed",
        completion_time: at(30),
        failure_phase: "executing",
        failure_reason: "workflow step scale-redis failed",
        occurred_at: at(30),
      },
    ];
  }
  const analysis = `${name}-analysis`;
  return [
    { ...base, overall_phase: "pending", occurred_at: at(0) },
    { ...base, overall_phase: "analyzing", ai_analysis_name: analysis, occurred_at: at(5) },
    {
      kind: "ai-analysis",
      trigger: "workflow_created",
      crd_name: analysis,
      crd_namespace: "default",
      remediation_id: name,
      alert_fingerprint: fingerprint,
      environment: "development",
      severity: "warning",
      workflow_crd_name: workflow,
      workflow_crd_namespace: "default",
      occurred_at: at(40),
    },
    {
      ...base,
      overall_phase: "executing",
      ai_analysis_name: analysis,
      workflow_execution_name: workflow,
      occurred_at: at(40),
      service_crd_statuses: { workflowExecution: snapshot("running", at(40)) },
    },
  ];
}

/** A remediation that timed out while its workflow ran: no completion time, a reason of several lines. */
function timedOutTrail(
  fingerprint: string,
  name: string,
  reason: string,
  t0: number,
): Record<string, unknown>[] {
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const base = {
    kind: "remediation-orchestration",
    alert_fingerprint: fingerprint,
    remediation_name: name,
    start_time: at(0),
    signal_name: "IngressLatencyHigh",
    target_namespace: "edge",
  };
  return [
    { ...base, overall_phase: "pending", occurred_at: at(0) },
    { ...base, overall_phase: "executing", occurred_at: at(30) },
    {
      ...base,
      overall_phase: "timeout",
      timeout_phase: "executing",
      timeout_time: at(630),
      failure_reason: reason,
      occurred_at: at(630),
    },
  ];
}

/** Writes every trail through `POST /api/v1/audit/batch` and the embeddings endpoint. */
export async function seedTrails(
  base: string,
  options: { token?: string; filler?: number } = {},
): Promise<SeededTrails> {
  const now = Date.now();
  const filler = options.filler ?? 30;
  const trails = {
    happy: { fingerprint: "oom-api-prod", name: "rr-api-oom", records: 10 },
    failed: {
      // As Alertmanager-style fingerprints are: 64 hex digits.
      fingerprint: "9f2c4e7a1b3d5f6e8a0c2e4f6a8b0d1c3e5f7a9b1d3f5e7c9a0b2d4f6e8a1c3e",
      name: "rr-db-disk",
      reason:
        "AI analysis failed: the model did not answer within 60s; last error from " +
        "http://holmesgpt-api.kubernaut-system.svc.cluster.local:8080/api/v1/investigate?correlation=rr-db-disk&attempt=3" +
        " (context deadline exceeded while awaiting headers)",
    },
    old: { fingerprint: "oom-api-lastweek", name: "rr-api-oom-lastweek" },
    retried: {
      fingerprint: "redis-cache-memory",
      older: "rr-redis-1",
      newer: "rr-redis-2",
      newerRecords: 4,
      workflow: "rr-redis-2-analysis-workflow-scale-redis-statefulset-and-raise-maxmemory",
    },
    timedOut: {
      fingerprint: "ingress-latency-edge",
      name: "rr-edge-timeout",
      reason: [
        "workflow did not finish within 10m",
        "step 1 drain-node: done",
        "step 2 restart-ingress: done",
        "step 3 wait-for-latency: still waiting",
        "step 4 uncordon-node: not started",
        "step 5 notify: not started",
      ].join("\n"),
    },
  };
  const fillerRecords = Array.from({ length: filler }, (_, i) => ({
    kind: "remediation-orchestration",
    alert_fingerprint: `cpu-worker-${i}`,
    remediation_name: `rr-cpu-${String(i).padStart(2, "0")}`,
    overall_phase: "completed",
    signal_name: "HighCPUUsage",
    target_namespace: "workers",
    start_time: new Date(now - 3_600_000 + i * 1000).toISOString(),
    completion_time: new Date(now - 3_600_000 + i * 1000 + 4000).toISOString(),
  }));
  // Oldest first, so the list (newest first) starts with the happy remediation.
  await post(
    base,
    "/api/v1/audit/batch",
    { records: happyTrail(trails.old.fingerprint, trails.old.name, now - 7_200_000) },
    options.token,
  );
  await post(base, "/api/v1/audit/batch", { records: fillerRecords }, options.token);
  const { retried } = trails;
  for (const [name, t0, outcome] of [
    [retried.older, now - 1_800_000, "failed"],
    [retried.newer, now - 900_000, "running"],
  ] as const) {
    await post(
      base,
      "/api/v1/audit/batch",
      { records: retriedTrail(retried.fingerprint, name, t0, outcome, retried.workflow) },
      options.token,
    );
  }
  await post(
    base,
    "/api/v1/audit/batch",
    {
      records: timedOutTrail(
        trails.timedOut.fingerprint,
        trails.timedOut.name,
        trails.timedOut.reason,
        now - 1_200_000,
      ),
    },
    options.token,
  );
  await post(
    base,
    "/api/v1/audit/batch",
    {
      records: failedTrail(
        trails.failed.fingerprint,
        trails.failed.name,
        trails.failed.reason,
        now - 600_000,
      ),
    },
    options.token,
  );
  await post(
    base,
    "/api/v1/audit/batch",
    { records: happyTrail(trails.happy.fingerprint, trails.happy.name, now - 300_000) },
    options.token,
  );
  for (const [trail, text] of [
    [
      trails.old,
      "Container api was OOMKilled 9 times; memory reached the 512Mi limit during the nightly batch.",
    ],
    [trails.happy, "Container api was OOMKilled 12 times; memory reached the 512Mi limit under load."],
  ] as const) {
    await post(
      base,
      "/api/v1/embeddings/investigations",
      {
        alert_fingerprint: trail.fingerprint,
        investigation_text: text,
        root_cause: `memory limit too low (${trail.name})`,
        confidence_score: 0.9,
        environment: "production",
      },
      options.token,
    );
  }
  return { ...trails, total: filler + 6 };
}
