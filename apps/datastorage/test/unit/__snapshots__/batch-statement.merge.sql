WITH appended_rows AS (SELECT *
  FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, correlation_id text, alert_fingerprint text, event_type text, source text, occurred_at timestamptz, payload jsonb)),
appended_ids AS (INSERT INTO audit_event_ids (event_id)
  SELECT r.event_id
  FROM appended_rows r
  ORDER BY r.event_id
  ON CONFLICT DO NOTHING
  RETURNING event_id),
appended AS (INSERT INTO audit_events (event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload)
  SELECT r.event_id, r.correlation_id, r.alert_fingerprint, r.event_type, r.source, r.occurred_at, $2::timestamptz, r.payload
  FROM appended_rows r JOIN appended_ids USING (event_id)
  ORDER BY r.event_id
  RETURNING event_id),
projected_0_rows AS MATERIALIZED (SELECT *
  FROM jsonb_to_recordset($3::jsonb) AS r(event_id uuid, ord integer, alert_fingerprint text, remediation_name text, overall_phase text, start_time timestamptz, completion_time timestamptz, alert_processing_name text, ai_analysis_name text, workflow_execution_name text, kubernetes_execution_name text, service_crd_statuses jsonb, timeout_phase text, timeout_time timestamptz, failure_phase text, failure_reason text, duplicate_count integer, last_duplicate_time timestamptz, retention_expiry_time timestamptz, deleted_at timestamptz, last_event_at timestamptz)
  WHERE r.event_id IN (SELECT event_id FROM appended)),
projected_0_keys AS (INSERT INTO remediation_audit_keys AS k (alert_fingerprint, remediation_name, created_at)
  SELECT DISTINCT r.alert_fingerprint, r.remediation_name, $4::timestamptz
  FROM projected_0_rows r
  ORDER BY r.alert_fingerprint, r.remediation_name
  ON CONFLICT (alert_fingerprint, remediation_name)
  DO UPDATE SET created_at = k.created_at
  RETURNING alert_fingerprint, remediation_name, created_at, retained),
projected_0 AS (INSERT INTO remediation_audit AS t (alert_fingerprint, remediation_name, overall_phase, start_time, completion_time, alert_processing_name, ai_analysis_name, workflow_execution_name, kubernetes_execution_name, service_crd_statuses, timeout_phase, timeout_time, failure_phase, failure_reason, duplicate_count, last_duplicate_time, retention_expiry_time, deleted_at, last_event_at, created_at, retained, updated_at)
  SELECT r.alert_fingerprint, r.remediation_name, (array_agg(r.overall_phase ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.overall_phase IS NOT NULL))[1], (array_agg(r.start_time ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.start_time IS NOT NULL))[1], (array_agg(r.completion_time ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.completion_time IS NOT NULL))[1], (array_agg(r.alert_processing_name ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.alert_processing_name IS NOT NULL))[1], (array_agg(r.ai_analysis_name ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.ai_analysis_name IS NOT NULL))[1], (array_agg(r.workflow_execution_name ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.workflow_execution_name IS NOT NULL))[1], (array_agg(r.kubernetes_execution_name ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.kubernetes_execution_name IS NOT NULL))[1], (array_agg(r.service_crd_statuses ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.service_crd_statuses IS NOT NULL))[1], (array_agg(r.timeout_phase ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.timeout_phase IS NOT NULL))[1], (array_agg(r.timeout_time ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.timeout_time IS NOT NULL))[1], (array_agg(r.failure_phase ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.failure_phase IS NOT NULL))[1], (array_agg(r.failure_reason ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.failure_reason IS NOT NULL))[1], COALESCE((array_agg(r.duplicate_count ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.duplicate_count IS NOT NULL))[1], 0), (array_agg(r.last_duplicate_time ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.last_duplicate_time IS NOT NULL))[1], (array_agg(r.retention_expiry_time ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.retention_expiry_time IS NOT NULL))[1], (array_agg(r.deleted_at ORDER BY r.last_event_at DESC, r.ord DESC) FILTER (WHERE r.deleted_at IS NOT NULL))[1], max(r.last_event_at), k.created_at, k.retained, $5::timestamptz
  FROM projected_0_rows r JOIN projected_0_keys k USING (alert_fingerprint, remediation_name)
  GROUP BY r.alert_fingerprint, r.remediation_name, k.created_at, k.retained
  ORDER BY r.alert_fingerprint, r.remediation_name
  ON CONFLICT (alert_fingerprint, remediation_name, retained, created_at)
  DO UPDATE SET overall_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.overall_phase, t.overall_phase) ELSE COALESCE(t.overall_phase, excluded.overall_phase) END,
    start_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.start_time, t.start_time) ELSE COALESCE(t.start_time, excluded.start_time) END,
    completion_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.completion_time, t.completion_time) ELSE COALESCE(t.completion_time, excluded.completion_time) END,
    alert_processing_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.alert_processing_name, t.alert_processing_name) ELSE COALESCE(t.alert_processing_name, excluded.alert_processing_name) END,
    ai_analysis_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.ai_analysis_name, t.ai_analysis_name) ELSE COALESCE(t.ai_analysis_name, excluded.ai_analysis_name) END,
    workflow_execution_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.workflow_execution_name, t.workflow_execution_name) ELSE COALESCE(t.workflow_execution_name, excluded.workflow_execution_name) END,
    kubernetes_execution_name = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.kubernetes_execution_name, t.kubernetes_execution_name) ELSE COALESCE(t.kubernetes_execution_name, excluded.kubernetes_execution_name) END,
    service_crd_statuses = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.service_crd_statuses, t.service_crd_statuses) ELSE COALESCE(t.service_crd_statuses, excluded.service_crd_statuses) END,
    timeout_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.timeout_phase, t.timeout_phase) ELSE COALESCE(t.timeout_phase, excluded.timeout_phase) END,
    timeout_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.timeout_time, t.timeout_time) ELSE COALESCE(t.timeout_time, excluded.timeout_time) END,
    failure_phase = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.failure_phase, t.failure_phase) ELSE COALESCE(t.failure_phase, excluded.failure_phase) END,
    failure_reason = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.failure_reason, t.failure_reason) ELSE COALESCE(t.failure_reason, excluded.failure_reason) END,
    duplicate_count = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.duplicate_count, t.duplicate_count) ELSE COALESCE(t.duplicate_count, excluded.duplicate_count) END,
    last_duplicate_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.last_duplicate_time, t.last_duplicate_time) ELSE COALESCE(t.last_duplicate_time, excluded.last_duplicate_time) END,
    retention_expiry_time = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.retention_expiry_time, t.retention_expiry_time) ELSE COALESCE(t.retention_expiry_time, excluded.retention_expiry_time) END,
    deleted_at = CASE WHEN excluded.last_event_at >= COALESCE(t.last_event_at, '-infinity'::timestamptz) THEN COALESCE(excluded.deleted_at, t.deleted_at) ELSE COALESCE(t.deleted_at, excluded.deleted_at) END, last_event_at = GREATEST(t.last_event_at, excluded.last_event_at), updated_at = excluded.updated_at
  RETURNING 1)
  SELECT event_id::text AS event_id
  FROM appended
