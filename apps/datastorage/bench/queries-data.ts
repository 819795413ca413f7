import { type SQL, sql } from "drizzle-orm";

/**
 * Synthetic audit data for the read benchmark, made by `generate_series` inside the database: `rows` rows in
 * each of remediation_audit, alert_processing_audit, ai_analysis_audit and audit_events, created evenly over
 * the 90 days before `now` (so a 7-day window holds ~7.8% of them). Three consecutive remediations share a
 * fingerprint (retries minutes apart); each fingerprint has ~33 timeline events.
 */
export function benchDataStatements(rows: number, now: Date): SQL[] {
  const n = sql.raw(String(rows));
  const created = sql`(${now.toISOString()}::timestamptz - (i::float8 / ${n}) * interval '90 days')`;
  const environment = sql`(ARRAY['production','staging','development','qa'])[1 + i % 4]`;
  return [
    sql`SELECT count(*) FROM ensure_month_partitions(${now.toISOString()}::timestamptz - interval '90 days', 4)`,
    sql`INSERT INTO remediation_audit (alert_fingerprint, remediation_name, overall_phase, start_time, completion_time,
          workflow_execution_name, service_crd_statuses, timeout_phase, failure_phase, failure_reason, created_at, updated_at)
        SELECT 'fp-' || (i / 3), 'rr-' || i, phase, created - interval '10 minutes',
          CASE WHEN phase IN ('completed', 'failed') THEN created - interval '10 minutes' + (i % 600) * interval '1 second' END,
          'wf-' || i,
          jsonb_build_object('workflowExecution', jsonb_build_object('phase', phase, 'success', phase = 'completed')),
          CASE WHEN phase = 'timeout' THEN 'analyzing' END,
          CASE WHEN phase = 'failed' THEN (ARRAY['enriching','analyzing','executing'])[1 + i % 3] END,
          CASE WHEN phase = 'failed' THEN 'failure reason ' || (i % 40) END,
          created, created
        FROM (
          SELECT i, ${created} AS created,
            CASE WHEN i % 20 < 14 THEN 'completed' WHEN i % 20 < 18 THEN 'failed'
                 WHEN i % 20 = 18 THEN 'timeout' ELSE 'processing' END AS phase
          FROM generate_series(1, ${n}) AS i
        ) s`,
    sql`INSERT INTO alert_processing_audit (remediation_id, alert_fingerprint, processing_phases, enrichment_quality,
          environment, confidence, status, completed_at, created_at, updated_at)
        SELECT 'rr-' || i, 'fp-' || (i / 3),
          jsonb_build_array(jsonb_build_object('phase', 'enriching', 'start_time', created,
            'duration', 'PT' || ((i::bigint * 7919) % 4000) / 1000.0 || 'S', 'duration_ns', ((i::bigint * 7919) % 4000) * 1000000)),
          0.5 + (i % 50) / 100.0, ${environment}, (i % 100) / 100.0,
          CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, created, created, created
        FROM (SELECT i, ${created} AS created FROM generate_series(1, ${n}) AS i) s`,
    sql`INSERT INTO ai_analysis_audit (crd_name, crd_namespace, alert_fingerprint, environment, severity,
          investigation_duration_ms, confidence_score, hallucination_detected, top_recommendation,
          effectiveness_probability, historical_success_rate, workflow_crd_name, completion_status, created_at, updated_at)
        SELECT 'ai-' || i, 'kubernaut-system', 'fp-' || (i / 3), ${environment}, 'critical',
          500 + (i * 37) % 5000, ((i * 13) % 100) / 100.0, i % 17 = 0,
          (ARRAY['restart-pod','scale-up','rollback','drain-node','increase-memory','clear-cache','reschedule',
                 'cordon-node','restart-deployment','expand-pvc'])[1 + i % 10],
          ((i * 31) % 100) / 100.0, ((i * 47) % 100) / 100.0, 'wf-' || i,
          CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, created, created
        FROM (SELECT i, ${created} AS created FROM generate_series(1, ${n}) AS i) s`,
    sql`INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at,
          received_at, payload)
        SELECT gen_random_uuid(), 'rr-' || (i / 11), 'fp-' || (i / 33),
          (ARRAY['remediation-orchestration.processing','alert-processing.completed','ai-analysis.workflow_created'])[1 + i % 3],
          (ARRAY['orchestrator','processor','ai-analysis'])[1 + i % 3], created, created,
          jsonb_build_object('remediation_name', 'rr-' || (i / 11), 'n', i)
        FROM (SELECT i, ${created} AS created FROM generate_series(1, ${n}) AS i) s`,
    sql`ANALYZE remediation_audit, alert_processing_audit, ai_analysis_audit, audit_events`,
  ];
}
